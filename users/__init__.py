"""Users: accounts with their region scope, login and logout, the login page, the admin's user management."""
