"""The command reference in README.md, made from the click commands themselves.

README.md holds it between cog markers; `cog -r README.md` writes it again after a command
changes, and a test fails while the README's copy differs from what this makes.
"""

import click

from complaints_register.cli.main import cli
from complaints_register.schema.events import EVENT_TYPES


def synopsis() -> str:
    """Every command on a line of its own (wrapped), with its arguments and options."""
    lines = ["complaints [--register DIR] COMMAND ...        (default DIR: ./register)"]
    context = click.Context(cli, info_name="complaints")
    lines += _commands(cli, context, "")
    lines += ["", "complaints log ID TYPE: each TYPE and the options it takes"]
    lines += _event_types(context)
    return "\n".join(lines) + "\n"


def _event_types(context: click.Context) -> list[str]:
    log = cli.commands["log"]
    options = {p.name: p for p in log.params if isinstance(p, click.Option)}
    lines = []
    for name, model in EVENT_TYPES.items():
        words = [name]
        for option in model.options:
            word = _word(options[option.name], context).strip("[]")
            required = model.model_fields[option.field].is_required()
            words.append(word if required else f"[{word}]")
        if model.model_fields["note"].is_required():
            words.append("--note TEXT")
        lines += _wrapped(words)
    return lines


def _commands(group: click.Group, parent: click.Context, prefix: str) -> list[str]:
    lines = []
    for name in group.list_commands(parent):
        command = group.get_command(parent, name)
        if command is None or command.hidden:
            continue
        context = click.Context(command, info_name=name, parent=parent)
        words = [prefix + name] + [
            _word(p, context) for p in command.get_params(context) if _shown(p)
        ]
        lines += _wrapped(words)
        if isinstance(command, click.Group):
            lines += _commands(command, context, f"{prefix}{name} ")
    return lines


def _shown(param: click.Parameter) -> bool:
    return not ({"--help", "--version"} & set(param.opts))


def _word(param: click.Parameter, context: click.Context) -> str:
    if isinstance(param, click.Argument):
        text = (param.metavar or (param.name or "").upper()) + ("..." if param.nargs == -1 else "")
        return text if param.required else f"[{text}]"
    assert isinstance(param, click.Option)
    flag = max(param.opts, key=len)
    if not param.is_flag:
        flag += " " + _value(param, context)
    if param.multiple:
        flag += "..."
    return flag if param.required else f"[{flag}]"


def _value(option: click.Option, context: click.Context) -> str:
    """What the option takes, as `--help` shows it (choices without their brackets)."""
    if isinstance(option.type, click.IntRange) and option.type.min is not None:
        if option.type.max is None:
            return "N"
        return f"{option.type.min}-{option.type.max}"
    if isinstance(option.type, click.Choice):
        return "|".join(map(str, option.type.choices))
    return option.type.get_metavar(option, context) or option.make_metavar(context)


def _wrapped(words: list[str], width: int = 92) -> list[str]:
    indent = "  "
    lines, line = [], indent + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + "    " + word
        else:
            line += " " + word
    return lines + [line]
