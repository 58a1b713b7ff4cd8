"""Columnar input and output: CSV files read in chunks with pyarrow, French cells cleaned in bulk."""
