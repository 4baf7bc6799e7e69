"""The `finsam` command (pyproject.toml, [project.scripts]).

    finsam [run] [--tillat-forlust] [--tillat-revision] [--tillat-nyckelbyte]
                                      the pipeline, as `python -m pipelines.run`: exit 0 / 2 / 1
    finsam dev [dagster dev options]  the Dagster webserver and daemon, as `make dev`
    finsam mallar [--ar ÅR]           the fill-in workbooks per förbund (finsam.templates), as `make mallar`
"""
import sys

COMMANDS = ("run", "dev", "mallar")


def main(argv: list[str] | None = None) -> int:
    """Runs `finsam` with argv (default: the command line's) and returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args and args[0] in COMMANDS else "run"
    if command == "dev":
        from pipelines import dev

        sys.argv = [sys.argv[0], *args]
        dev.main()  # replaces this process
    if command == "mallar":
        from finsam import templates

        return templates.main(args)
    from pipelines import run

    if argv is None:  # the console script: its usage line names it
        run.PARSER.prog = "finsam run"
    return run.main(argv=args)


if __name__ == "__main__":
    sys.exit(main())
