"""The dossier others can read: real dossiers in both languages follow the published JSON
Schema, the ZIP's manifest holds every file's SHA-256, and `reports verify-dossier` catches a
changed byte, a ZIP that is not Pont's and a manifest that lies."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from pont import clock
from pont.schemas import dossier_schema
from pont.staff.dossier import manifest_of

from .reports_helpers import (
    limiter_off_fixture,  # noqa: F401
    png,
    school_fixture,  # noqa: F401
    text_of,
)
from .staff_helpers import log_in, new_report, url
from .test_handoffs import hand_off

VALIDATOR = Draft202012Validator(dossier_schema(), format_checker=FormatChecker())


def problems(document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in VALIDATOR.iter_errors(document)]


@pytest.fixture(autouse=True)
def fixed_clock():
    clock.set(datetime.datetime(2026, 12, 2, 10, 0))
    yield
    clock.set(None)


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(dossier_schema())
    assert dossier_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def download(client, code, lang="fr", query="") -> zipfile.ZipFile:
    response = client.get(url("zip", code, lang) + query)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.fixture
def case(client, school):
    code = new_report(client, files=[("a.png", png()), ("b.png", png(color=(9, 9, 9)))],
                      contact="phone", contact_value="06 12 34 56 78")
    assert log_in(client).status_code == 303
    client.post(url("notes", code), data={"note": "Note interne du CPE"})
    client.post(url("reply", code), data={"reply": "Merci pour votre message."})
    client.post(url("steps", code), data={"steps": ["account"]})
    hand_off(client, code)
    return code


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("query", ["", "?notes=1", "?platform=1&evidence=1"])
def test_real_dossiers_follow_the_schema_in_both_languages(client, case, lang, query):
    document = json.loads(download(client, case, lang, query).read("dossier.json"))
    assert problems(document) == []
    assert document["schema_version"] == "1"
    if not query:
        assert document["school"]["uai"] and document["internal_notes"] is None
        assert [h["kind"]["id"] for h in document["handoffs"]] == ["helpline_3018"]
        assert document["handoffs"][0]["kind"]["label"] == (
            "Le 3018 (e-Enfance)" if lang == "fr" else "The 3018 (e-Enfance)")
        assert document["online"]["platforms"][0]["id"] == "snapchat"
        assert "06 12 34 56 78" not in json.dumps(document)


def test_the_schema_refuses_what_is_not_a_dossier(client, case):
    document = json.loads(download(client, case).read("dossier.json"))
    broken = {**document, "handoffs": [{**document["handoffs"][0], "reference": "R" * 121}]}
    assert any("handoffs/0/reference" in problem for problem in problems(broken))
    assert problems({**document, "contact": "06 12 34 56 78"}), "no field for contact details"
    platform = json.loads(download(client, case, query="?platform=1").read("dossier.json"))
    assert problems({**platform, "school": document["school"]}), \
        "a platform's dossier cannot carry the school"
    assert problems({**document, "evidence": [{**document["evidence"][0],
                                               "stored_sha256": "not a digest"}]})


def test_schema_and_example_are_published_at_stable_addresses(client):
    schema = client.get("/schemas/dossier/1.json")
    assert schema.status_code == 200 and schema.mimetype == "application/schema+json"
    assert schema.get_json(force=True) == dossier_schema()
    for lang, label in (("", "Le 3018 (e-Enfance)"), ("?lang=en", "The 3018 (e-Enfance)")):
        example = client.get("/schemas/dossier/1/example.json" + lang)
        assert example.status_code == 200
        document = example.get_json()
        assert problems(document) == []
        assert document["handoffs"][0]["kind"]["label"] == label
    assert client.get("/schemas/dossier/2.json").status_code == 404
    assert client.get("/schemas/dossier/2/example.json").status_code == 404


def test_the_page_and_the_json_say_the_same_things(client, case):
    document = json.loads(download(client, case, "en").read("dossier.json"))
    page = text_of(client.get(url("dossier", case, "en")))
    said = [document["school"]["uai"], document["answers"]["description"],
            *(item["stored_sha256"] for item in document["evidence"]),
            *(message["text"] for message in document["messages"]),
            *(step["label"] for step in document["protocol_steps"]),
            *(h["kind"]["label"] for h in document["handoffs"]),
            *(h["reference"] for h in document["handoffs"]),
            *(h["dossier_sha256"] for h in document["handoffs"])]
    missing = [value for value in said if value not in page]
    assert missing == []


# The manifest and verify-dossier -------------------------------------------------------


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_manifest_holds_the_sha256_of_every_file(client, case):
    archive = download(client, case)
    manifest = json.loads(archive.read("manifest.json"))
    listed = {item["name"]: item for item in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    assert set(listed) == {"dossier.json", "evidence/01.png", "evidence/02.png"}
    for name, item in listed.items():
        data = archive.read(name)
        assert (item["sha256"], item["bytes"]) == (hashlib.sha256(data).hexdigest(), len(data))


@pytest.fixture
def saved(client, case, tmp_path):
    """The downloaded ZIP on disk, and its files."""
    path = tmp_path / "dossier.zip"
    response = client.get(url("zip", case))
    path.write_bytes(response.data)
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return path, {name: archive.read(name) for name in archive.namelist()}


def verify(runner, path, *options):
    return runner.invoke(args=["reports", "verify-dossier", str(path), *options])


def test_verify_dossier_passes_an_intact_zip_and_gives_its_digest(runner, saved):
    path, files = saved
    result = verify(runner, path)
    digest = hashlib.sha256(files["manifest.json"]).hexdigest()
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and digest in result.output
    assert verify(runner, path, "--expect", digest.upper()).exit_code == 0


def test_verify_dossier_catches_one_changed_byte(runner, saved, tmp_path):
    path, files = saved
    image = bytearray(files["evidence/02.png"])
    image[len(image) // 2] ^= 0x01
    changed = tmp_path / "changed.zip"
    changed.write_bytes(rezip({**files, "evidence/02.png": bytes(image)}))
    result = verify(runner, changed)
    assert result.exit_code != 0
    assert "evidence/02.png: its SHA-256 does not match the manifest" in result.output
    # The same byte changed inside the original ZIP: the ZIP's own checksum catches it first.
    raw = bytearray(path.read_bytes())
    at = bytes(raw).index(files["evidence/02.png"]) + len(files["evidence/02.png"]) // 2
    raw[at] ^= 0x01
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    result = verify(runner, damaged)
    assert result.exit_code != 0 and "evidence/02.png: damaged" in result.output


def test_verify_dossier_refuses_a_zip_that_is_not_ponts(runner, saved, tmp_path):
    path, files = saved
    cases = {
        "no-manifest.zip": rezip({"dossier.json": files["dossier.json"]}),
        "other-manifest.zip": rezip({**files, "manifest.json": b'{"files": "everything"}'}),
        "not-a-zip.zip": b"%PDF-1.7 this is not a zip",
    }
    expected = {"no-manifest.zip": "no manifest.json in the ZIP",
                "other-manifest.zip": "manifest.json is not a Pont manifest",
                "not-a-zip.zip": "not a readable ZIP"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = verify(runner, tmp_path / name)
        assert result.exit_code != 0, name
        assert "not a Pont dossier" in result.output and expected[name] in result.output


def test_verify_dossier_catches_a_manifest_that_lies(runner, saved, tmp_path):
    path, files = saved
    manifest = json.loads(files["manifest.json"])
    manifest["files"][0]["sha256"] = "0" * 64
    lying = tmp_path / "lying.zip"
    lying.write_bytes(rezip({**files, "manifest.json": json.dumps(manifest).encode()}))
    result = verify(runner, lying)
    assert result.exit_code != 0
    assert "dossier.json: its SHA-256 does not match the manifest" in result.output
    # A file added on the way, or one taken out.
    extra = tmp_path / "extra.zip"
    extra.write_bytes(rezip({**files, "evidence/03.png": png()}))
    assert "evidence/03.png: in the ZIP but not in the manifest" in verify(runner, extra).output
    fewer = tmp_path / "fewer.zip"
    fewer.write_bytes(rezip({k: v for k, v in files.items() if k != "evidence/01.png"}))
    assert "evidence/01.png: in the manifest but missing" in verify(runner, fewer).output
    # A manifest rewritten to match changed files is consistent: the printed digest tells.
    forged_files = {**files,
                    "dossier.json": files["dossier.json"].replace(b"Tilleuls", b"Xxxxxxxx")}

    forged_files["manifest.json"] = manifest_of(
        {k: v for k, v in forged_files.items() if k != "manifest.json"})
    forged = tmp_path / "forged.zip"
    forged.write_bytes(rezip(forged_files))
    printed = hashlib.sha256(files["manifest.json"]).hexdigest()
    result = verify(runner, forged, "--expect", printed)
    assert result.exit_code != 0 and "is not the one expected" in result.output
