"""`fake-intercom`'s commands: options are checked before anything starts or is written."""

import gc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_intercom import cli, serving
from tests.helpers.modules import modules_loaded_by

runner = CliRunner(env={"COLUMNS": "300", "TERMINAL_WIDTH": "300"})


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command that got as far as serving fails the test instead of blocking it."""

    def refuse(*args: object) -> None:
        raise AssertionError("the server was started")

    monkeypatch.setattr(serving, "run", refuse)


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--version", "9.9"], "--version"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--port", "70000"], "--port"),
        (["--seed", "lots"], "--seed"),
        (["--max-body-bytes", "0"], "--max-body-bytes"),
        (["--journal-budget-mb", "-1"], "--journal-budget-mb"),
        (["--webhook-targets", "everywhere"], "--webhook-targets"),
    ],
)
def test_serve_refuses_bad_options_with_a_usage_error(
    tmp_path: Path, arguments: list[str], option: str
) -> None:
    result = runner.invoke(cli.app, ["serve", "--db", str(tmp_path / "s.db"), *arguments])
    assert result.exit_code == 2, result.output
    assert option in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.db").exists()
    assert gc.isenabled()  # paused for the start-up, which did not happen


def test_the_commands_load_the_server_only_when_they_run() -> None:
    # `serve` imports the app with the garbage collector paused; `--help` needs none of it.
    loaded = modules_loaded_by("import fake_intercom.cli")
    assert not {"fake_intercom.app", "fake_intercom.store", "fastapi", "uvicorn"} & loaded


def test_reset_while_a_server_holds_the_file_is_refused(tmp_path: Path) -> None:
    from fake_intercom import Settings, create_app

    db = str(tmp_path / "s.db")
    running = create_app(Settings(db=db))
    try:
        result = runner.invoke(cli.app, ["reset", "--db", db])
    finally:
        running.state.store.close()
    assert result.exit_code == 2, result.output
    assert "in use by another fake-intercom process" in result.output


def test_reset_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = runner.invoke(cli.app, ["reset", "--db", str(missing)])
    assert result.exit_code == 2, result.output
    assert "--db" in result.output
    assert not missing.exists()
