"""Reports rendered from service results: JSON data and Markdown text (HTML/PDF later)."""
