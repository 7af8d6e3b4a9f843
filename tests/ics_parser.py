"""A small RFC 5545 reader for tests: checks line ends and lengths, unfolds, unescapes."""

import re


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_ics(data: bytes) -> dict:
    """The calendar's components as {"VCALENDAR": {...}, "VEVENT": [{...}]}; asserts the form."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n"), "lines end with CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, "bare line breaks are not allowed"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    calendar: dict = {"VEVENT": []}
    current = None
    for line in logical:
        # Property names and parameters come before the first colon outside quotes.
        match = re.match(r'^([A-Za-z0-9-]+)((?:;[^:;"]+=(?:"[^"]*"|[^:;]*))*):(.*)$', line)
        assert match, f"not a content line: {line!r}"
        name, _params, value = match.group(1).upper(), match.group(2), match.group(3)
        if name == "BEGIN":
            current = {} if value == "VEVENT" else calendar
        elif name == "END":
            if value == "VEVENT":
                calendar["VEVENT"].append(current)
            current = calendar
        else:
            current[name] = unescape(value)
    return calendar
