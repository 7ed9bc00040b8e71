"""Charts: PNG via matplotlib (Agg) and self-contained HTML via plotly."""
