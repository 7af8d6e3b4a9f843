"""URL converters shared by every blueprint."""

from werkzeug.routing import IntegerConverter


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a positive number a database id column can hold.

    Larger numbers are simply not found (404) instead of overflowing in the database.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
