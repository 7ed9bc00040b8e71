"""Charts: PNG via matplotlib (Agg) and offline HTML via plotly."""
