"""Plans in and out of the Excel workbooks SAO offices keep (forms ผ.01, ผ.02, ผ.03)."""
