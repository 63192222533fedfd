"""The people's pages: signing up, logging in, claiming and resetting
(``auth``), their own account (``account``), and their data (``data``)."""
