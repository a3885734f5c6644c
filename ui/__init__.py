"""Everything the pages share: sidebar controls, data loading, charts, formatting, translations."""
