"""Code shared by definitions that is not itself a definition."""
