"""Process Designer: the Django project package and the designer app."""
