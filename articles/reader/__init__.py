"""The reader's site: public views, the queries behind them, rendering, structured data, search and share cards."""
