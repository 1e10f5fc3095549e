"""Views by area of the product; each module is thin and calls the domain functions."""
