#include "CommandLine.h"

#include "DotEnv.h"
#include "HelpFormat.h"

#include <algorithm>
#include <cstdio>

namespace moltdesk {

namespace {

struct Placeholder
{
    QString name;
    bool required = true;
};

// "ENV [PREFIX]" -> {ENV, required}, {PREFIX, optional}.
QList<Placeholder> placeholders(const HelpCommand &command)
{
    QList<Placeholder> out;
    for (QString word : command.positional.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const bool optional = word.startsWith(QLatin1Char('['));
        word.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        out.append({word, !optional});
    }
    return out;
}

const HelpOption *optionNamed(const HelpCommand &command, const QString &name)
{
    for (const HelpOption &o : command.options)
        if (o.name == QLatin1String("--") + name)
            return &o;
    return nullptr;
}

// Adds the option at args[i] (and its value, which may be args[i + 1]) to `out`.
Status takeOption(const HelpCommand &command, const QStringList &args, qsizetype &i, CommandArgs &out)
{
    QString name = args.at(i).mid(2);
    QString value;
    const qsizetype eq = name.indexOf(QLatin1Char('='));
    const bool inlineValue = eq >= 0;
    if (inlineValue) {
        value = name.mid(eq + 1);
        name = name.left(eq);
    }
    const HelpOption *option = optionNamed(command, name);
    if (!option || (option->value.isEmpty() && inlineValue))
        return usageError(QStringLiteral("unknown option --%1").arg(name));
    if (option->value.isEmpty()) {
        out.flags.insert(name);
        return success();
    }
    if (!inlineValue) {
        if (i + 1 >= args.size())
            return usageError(QStringLiteral("option --%1 needs a value").arg(name));
        value = args.at(++i);
    }
    out.values.insert(name, value);
    return success();
}

Result<int> boundedNumber(const CommandArgs &args, const char *option, int low, int high, const QString &what)
{
    bool ok = false;
    const int n = args.value(option).toInt(&ok);
    if (!ok || n < low || n > high)
        return usageError(QStringLiteral("--%1 takes %2 from %3 to %4")
                              .arg(QLatin1String(option), what)
                              .arg(low)
                              .arg(high));
    return n;
}

} // namespace

Error usageError(const QString &message)
{
    Error e = makeError(ErrorKind::InvalidInput, message);
    e.code = QString::fromLatin1(kUsageErrorCode);
    return e;
}

const HelpCommand *findCommand(const ProgramHelp &help, const QString &word, const QStringList &args)
{
    for (const HelpCommand *c : help.group(word)) {
        const QStringList rest = c->name.split(QLatin1Char(' ')).mid(1);
        if (args.mid(0, rest.size()) == rest)
            return c;
    }
    return nullptr;
}

QString CommandArgs::positionalNamed(const QString &name) const
{
    const QList<Placeholder> ps = placeholders(*command);
    for (qsizetype i = 0; i < ps.size() && i < positional.size(); ++i)
        if (ps.at(i).name == name)
            return positional.at(i);
    return {};
}

Result<CommandArgs> CommandArgs::parse(const HelpCommand &command, const QStringList &argsIn)
{
    CommandArgs out;
    out.command = &command;
    const qsizetype ownWords = command.name.count(QLatin1Char(' '));
    const QStringList args = argsIn.mid(ownWords);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (!args.at(i).startsWith(QLatin1String("--"))) {
            out.positional << args.at(i);
            continue;
        }
        if (const Status s = takeOption(command, args, i, out); !s)
            return s.error();
    }
    const QList<Placeholder> ps = placeholders(command);
    const qsizetype required =
        std::count_if(ps.cbegin(), ps.cend(), [](const Placeholder &p) { return p.required; });
    bool complete = out.positional.size() >= required && out.positional.size() <= ps.size();
    for (const HelpOption &o : command.options)
        complete = complete && (!o.required || out.values.contains(o.name.mid(2)));
    if (!complete)
        return usageError(QStringLiteral("usage: ") + commandSynopsis(command));
    return out;
}

Result<CommonOptions> CommonOptions::check(const CommandArgs &args)
{
    CommonOptions o;
    if (args.given("concurrency")) {
        const auto n = boundedNumber(args, "concurrency", 1, 128, QStringLiteral("a number"));
        if (!n)
            return n.error();
        o.concurrency = n.value();
    }
    if (args.given("timeout")) {
        const auto n = boundedNumber(args, "timeout", 1, 3600, QStringLiteral("seconds"));
        if (!n)
            return n.error();
        o.timeoutS = n.value();
    }
    if (args.given("max-delete")) {
        if (args.has("no-delete"))
            return usageError(
                QStringLiteral("--no-delete and --max-delete contradict each other: choose one"));
        const QString v = args.value("max-delete");
        bool ok = false;
        if (v == QLatin1String("unlimited"))
            o.unlimitedDelete = true;
        else if (o.maxDelete = v.toLongLong(&ok); !ok || o.maxDelete < 0)
            return usageError(QStringLiteral("--max-delete takes a number of objects (or \"unlimited\")"));
    }
    return o;
}

QStringList positionalNames(const HelpCommand &command)
{
    QStringList out;
    for (const Placeholder &p : placeholders(command))
        out << p.name;
    return out;
}

bool namesEnvironment(const QString &placeholder)
{
    return placeholder == QLatin1String("ENV") || placeholder == QLatin1String("A") ||
           placeholder == QLatin1String("B");
}

Result<QMap<QString, QString>> readSecretVars()
{
    QByteArray input;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0 && input.size() < 65536)
        input.append(buf, qsizetype(n));
    return DotEnv::parse(input, QStringLiteral("stdin"));
}

} // namespace moltdesk
