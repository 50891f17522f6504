"""Each unit reads its own pages: who reads what, accounts and passwords, nginx configuration."""
