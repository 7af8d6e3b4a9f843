"""Geometry of the small SVG charts on the overview, drawn by the server (no JS, no styles)."""

from dataclasses import dataclass
from datetime import date

LABEL_CHARS = 34  # longer labels are cut; the full one is in the bar's <title>


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    max_value: int
    # Horizontal charts: where bars start. Column charts: the axis labels (x, text).
    label_width: int = 0
    ticks: tuple[tuple[float, str], ...] = ()


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(rows: list[tuple[str, int]], *, width: int = 640, label_width: int = 250,
              bar_height: int = 22, gap: int = 8, value_room: int = 48) -> Chart:
    """Horizontal bars, one per (label, value) row, scaled to the largest value."""
    max_value = max((value for _label, value in rows), default=0)
    room = width - label_width - value_room
    bars = [
        Bar(
            label=label,
            short_label=_short(label),
            value=value,
            x=label_width,
            y=index * (bar_height + gap),
            width=round(room * value / max_value, 1) if max_value else 0,
            height=bar_height,
        )
        for index, (label, value) in enumerate(rows)
    ]
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return Chart(width, height, bars, max_value, label_width=label_width)


def column_chart(points: list[tuple[date, int]], *, width: int = 640, height: int = 180,
                 axis_room: int = 22, max_ticks: int = 8) -> Chart:
    """Vertical columns per day, with a few date labels along the bottom."""
    max_value = max((value for _day, value in points), default=0)
    plot_height = height - axis_room
    step = width / len(points) if points else width
    column = min(max(step * 0.8, 1), 40)  # a few days should not look like a wall
    bars = []
    for index, (day, value) in enumerate(points):
        bar_height = round(plot_height * value / max_value, 1) if max_value else 0
        bars.append(Bar(
            label=day.isoformat(),
            short_label=day.strftime("%d.%m"),
            value=value,
            x=round(index * step + (step - column) / 2, 1),
            y=round(plot_height - bar_height, 1),
            width=round(column, 1),
            height=bar_height,
        ))
    every = max(1, -(-len(points) // max_ticks))  # ceiling division
    ticks = tuple(
        (round(bar.x + bar.width / 2, 1), bar.short_label)
        for index, bar in enumerate(bars)
        if index % every == 0
    )
    return Chart(width, height, bars, max_value, ticks=ticks)
