// The man page renderer of HelpFormat.h: roff (man(7)) from the help table.
#include "HelpFormat.h"

namespace moltdesk {

namespace {

// Text as roff: backslashes and hyphens escaped (an unescaped '-' may be typeset as a hyphen, and an
// option copied from the page would then not work), a line never starting with a control character.
QString roff(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\e"));
    out.replace(QLatin1Char('-'), QStringLiteral("\\-"));
    if (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('\'')))
        out.prepend(QStringLiteral("\\&"));
    return out;
}

QString bold(const QString &s)
{
    return QStringLiteral("\\fB") + roff(s) + QStringLiteral("\\fR");
}

QString italic(const QString &s)
{
    return QStringLiteral("\\fI") + roff(s) + QStringLiteral("\\fR");
}

// A synopsis word: options bold, placeholders (upper case) italic, brackets and the rest plain.
QString synopsisWord(const QString &word)
{
    QString core = word;
    QString open, close;
    while (core.startsWith(QLatin1Char('['))) {
        open += QLatin1Char('[');
        core.remove(0, 1);
    }
    while (core.endsWith(QLatin1Char(']'))) {
        close += QLatin1Char(']');
        core.chop(1);
    }
    const bool placeholder = !core.isEmpty() && core == core.toUpper() && !core.startsWith(QLatin1Char('-'));
    return open + (placeholder ? italic(core) : bold(core)) + close;
}

QString synopsisRoff(const QString &synopsis)
{
    QStringList words = synopsis.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString &w : words)
        w = synopsisWord(w);
    return words.join(QLatin1Char(' '));
}

QString optionsRoff(const QList<HelpOption> &options)
{
    QString out;
    for (const HelpOption &o : options) {
        out += QStringLiteral(".TP\n");
        if (!o.shortName.isEmpty())
            out += bold(o.shortName) + QStringLiteral(", ");
        out += bold(o.name) + (o.value.isEmpty() ? QString() : QLatin1Char(' ') + italic(o.value));
        out += QLatin1Char('\n') + roff(o.text) + QLatin1Char('\n');
    }
    return out;
}

QString commandsRoff(const ProgramHelp &help)
{
    if (help.commands.isEmpty())
        return {};
    QString out = QStringLiteral(".SH COMMANDS\n");
    for (const HelpCommand &c : help.commands) {
        if (c.hidden)
            continue;
        out += QStringLiteral(".TP\n") + synopsisRoff(commandSynopsis(c)) + QLatin1Char('\n');
        out += roff(c.description) + QLatin1Char('\n');
        if (!c.options.isEmpty())
            out += QStringLiteral(".RS\n") + optionsRoff(c.options) + QStringLiteral(".RE\n");
    }
    return out;
}

QString sectionsRoff(const ProgramHelp &help)
{
    QString out;
    for (const HelpSection &s : help.sections) {
        out += QStringLiteral(".SH ") + s.title + QLatin1Char('\n');
        if (!s.text.isEmpty())
            out += roff(s.text) + QLatin1Char('\n');
        for (const HelpItem &i : s.items)
            out +=
                QStringLiteral(".TP\n") + bold(i.term) + QLatin1Char('\n') + roff(i.text) + QLatin1Char('\n');
    }
    return out;
}

} // namespace

QString manPage(const ProgramHelp &help, const QString &version, const QString &date)
{
    QString out = QStringLiteral(".\\\" Generated from the help table (core/app/HelpTable.cpp) by "
                                 "moltdesk-docgen: edit the table, not this file.\n");
    out += QStringLiteral(".TH %1 1 \"%2\" \"Moltdesk %3\" \"User Commands\"\n")
               .arg(help.program.toUpper(), date, version);
    out += QStringLiteral(".SH NAME\n") + roff(help.program) + QStringLiteral(" \\- ") + roff(help.summary) +
           QLatin1Char('\n');
    out += QStringLiteral(".SH SYNOPSIS\n") + synopsisRoff(programSynopsis(help)) + QLatin1Char('\n');
    out += QStringLiteral(".SH DESCRIPTION\n") + roff(help.description) + QLatin1Char('\n');
    out += QStringLiteral(".SH OPTIONS\n") + optionsRoff(help.options);
    out += commandsRoff(help);
    out += sectionsRoff(help);
    return out;
}

} // namespace moltdesk
