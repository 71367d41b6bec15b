"""Content: Markdown modules with TOML front matter, their quizzes and lesson plans."""
