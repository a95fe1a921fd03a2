#include "HelpFormat.h"

namespace moltdesk {

namespace {

constexpr int kWidth = 100;

// --help and --version end the program instead of shaping a run: they are listed among the options
// but left out of synopses.
bool endsProgram(const HelpOption &o)
{
    return o.name == QLatin1String("--help") || o.name == QLatin1String("--version");
}

QString optionText(const HelpOption &o)
{
    return o.value.isEmpty() ? o.name : o.name + QLatin1Char(' ') + o.value;
}

QString optionSynopsis(const HelpOption &o)
{
    return o.required ? optionText(o) : QLatin1Char('[') + optionText(o) + QLatin1Char(']');
}

// Required options come right after the positional arguments, then the optional ones in table order.
QList<HelpOption> synopsisOrder(const QList<HelpOption> &options)
{
    QList<HelpOption> out;
    for (const HelpOption &o : options)
        if (o.required && !endsProgram(o))
            out << o;
    for (const HelpOption &o : options)
        if (!o.required && !endsProgram(o))
            out << o;
    return out;
}

// Words of `text` filled into lines of kWidth columns; `firstUsed` columns of the first line are taken
// already, the following lines are indented by `indent`.
QString wrap(const QString &text, int indent, int firstUsed = 0)
{
    QString out;
    int used = firstUsed;
    bool lineEmpty = true;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &w : words) {
        if (!lineEmpty && used + 1 + int(w.size()) > kWidth) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            used = indent;
            lineEmpty = true;
        }
        if (!lineEmpty) {
            out += QLatin1Char(' ');
            ++used;
        }
        out += w;
        used += int(w.size());
        lineEmpty = false;
    }
    return out;
}

QString indented(const QString &text, int indent)
{
    return QString(indent, QLatin1Char(' ')) + wrap(text, indent, indent);
}

QString optionLines(const QList<HelpOption> &options)
{
    QString out;
    for (const HelpOption &o : options) {
        const QString head = QStringLiteral("  ") +
                             (o.shortName.isEmpty() ? QString() : o.shortName + QStringLiteral(", ")) +
                             optionText(o);
        const QString col = head.size() < 26
                                ? head.leftJustified(26)
                                : QString(head + QLatin1Char('\n') + QString(26, QLatin1Char(' ')));
        out += col + wrap(o.text, 26, 26) + QLatin1Char('\n');
    }
    return out;
}

QString sectionText(const HelpSection &s)
{
    QString out = s.title.left(1) + s.title.mid(1).toLower() + QStringLiteral(":\n");
    if (!s.text.isEmpty())
        out += indented(s.text, 2) + QLatin1Char('\n');
    for (const HelpItem &i : s.items)
        out += QStringLiteral("  %1  %2\n").arg(i.term, i.text);
    return out;
}

} // namespace

QString commandSynopsis(const HelpCommand &command)
{
    QStringList parts{command.name};
    if (!command.positional.isEmpty())
        parts << command.positional;
    for (const HelpOption &o : synopsisOrder(command.options))
        parts << optionSynopsis(o);
    return parts.join(QLatin1Char(' '));
}

QString programSynopsis(const ProgramHelp &help)
{
    QStringList parts{help.program};
    for (const HelpOption &o : synopsisOrder(help.options))
        parts << optionSynopsis(o);
    if (!help.positional.isEmpty())
        parts << help.positional;
    return parts.join(QLatin1Char(' '));
}

QString usageText(const ProgramHelp &help)
{
    QString out = QStringLiteral("usage: ") + wrap(programSynopsis(help), 7, 7) + QStringLiteral("\n\n");
    out += wrap(help.description, 0) + QStringLiteral("\n\nOptions:\n") + optionLines(help.options);
    if (!help.commands.isEmpty()) {
        out += QStringLiteral("\nCommands:\n");
        for (const HelpCommand &c : help.commands) {
            if (c.hidden)
                continue;
            out += QStringLiteral("  ") + wrap(commandSynopsis(c), 6, 2) + QLatin1Char('\n');
            out += indented(c.summary, 6) + QLatin1Char('\n');
        }
    }
    for (const HelpSection &s : help.sections)
        if (s.inUsage)
            out += QLatin1Char('\n') + sectionText(s);
    return out;
}

QString commandUsage(const ProgramHelp &help, const QString &word)
{
    QString out;
    for (const HelpCommand *c : help.group(word)) {
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        const QString head = QStringLiteral("usage: %1 [GLOBAL OPTIONS] ").arg(help.program);
        out += head + wrap(commandSynopsis(*c), 7, int(head.size())) + QStringLiteral("\n\n");
        out += wrap(c->description, 0) + QLatin1Char('\n');
        if (!c->options.isEmpty())
            out += QStringLiteral("\nOptions:\n") + optionLines(c->options);
    }
    return out;
}

} // namespace moltdesk
