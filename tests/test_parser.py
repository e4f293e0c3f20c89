"""kg.run.parser.Pool: which child parses what, and what a child that dies costs (fake children that
speak the protocol, so no model is loaded)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import ArticleError, KgError
from kg.run.parser import CRASHES, ParserProcess, Pool, Ticket


class Fake(ParserProcess):
    def command(self) -> list[str]:
        return [sys.executable, str(Path(__file__).parent / "fake_parser.py")]


@pytest.fixture
def fakes() -> Iterator[list[ParserProcess]]:
    parsers: list[ParserProcess] = [Fake(Path("fake-model")), Fake(Path("fake-model"))]
    yield parsers
    for p in parsers:
        p.close()


def answers(pool: Pool, tickets: list[Ticket]) -> list[tuple[str, int] | str]:
    pool.wait(tickets)
    out: list[tuple[str, int] | str] = []
    for t in tickets:
        try:
            out.append(t.tokens())  # type: ignore[arg-type]
        except ArticleError as err:
            out.append(err.reason)
    return out


def test_a_child_with_a_long_article_does_not_hold_up_the_others(fakes: list[ParserProcess]) -> None:
    """Articles go to whichever child is free: while one works through a long article, the other
    parses the short ones that come after it, however many."""
    pool = Pool(fakes)
    tickets = [pool.submit("slow:2.5", "long", 60.0)] + [pool.submit(f"short {i}", f"s{i}", 60.0) for i in range(40)]
    got = answers(pool, tickets)
    assert [g[0] for g in got] == ["slow:2.5"] + [f"short {i}" for i in range(40)]  # each its own answer
    long_pid = got[0][1]
    on_long_child = sum(1 for g in got[1:] if g[1] == long_pid)
    assert on_long_child < 10  # only those given to it with the long one, before any answer came


def test_a_child_that_dies_costs_its_article_and_the_rest_are_parsed(fakes: list[ParserProcess]) -> None:
    pool = Pool(fakes[:1])
    tickets = [pool.submit(t, t, 60.0) for t in ("a", "die", "b", "c")]
    got = answers(pool, tickets)
    assert got[1] == "the UDPipe parser process stopped while parsing it (exit code 3)"
    assert [g[0] for g in got[::2]] == ["a", "b"] and got[3][0] == "c"
    assert got[0][1] != got[3][1]  # a new child parsed the rest


def test_articles_that_kill_the_parser_in_a_row_stop_the_run(fakes: list[ParserProcess]) -> None:
    pool = Pool(fakes[:1])
    tickets = [pool.submit("die", str(i), 60.0) for i in range(CRASHES)]
    pool.wait(tickets)
    for t in tickets[:-1]:
        with pytest.raises(ArticleError):
            t.tokens()
    with pytest.raises(KgError, match=f"stopped on {CRASHES} articles in a row"):
        tickets[-1].tokens()


def test_one_good_article_between_deaths_starts_the_count_again(fakes: list[ParserProcess]) -> None:
    pool = Pool(fakes[:1])
    texts = ["die"] * (CRASHES - 1) + ["fine"] + ["die"] * (CRASHES - 1) + ["fine"]
    tickets = [pool.submit(t, str(i), 60.0) for i, t in enumerate(texts)]
    got = answers(pool, tickets)
    assert [g[0] if isinstance(g, tuple) else "died" for g in got] == [
        "died" if t == "die" else t for t in texts]


def test_a_stopped_run_leaves_no_work_behind(fakes: list[ParserProcess]) -> None:
    """forget() stops the children that were given articles: the next run starts clean."""
    pool = Pool(fakes)
    for i in range(6):
        pool.submit(f"slow:{0.2 + i / 100}", str(i), 60.0)
    pool.forget()
    assert not any(p.running for p in fakes)
    again = Pool(fakes)
    assert [g[0] for g in answers(again, [again.submit("x", "x", 60.0)])] == ["x"]
