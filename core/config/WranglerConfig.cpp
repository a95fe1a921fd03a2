#include "WranglerConfig.h"

#include "BucketNaming.h"
#include "Jsonc.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

namespace moltdesk {

namespace {

Result<QList<R2BucketBinding>> readBindings(const JsoncDocument &doc, const QJsonValue &value,
                                            const QString &pointer, const QString &where)
{
    QList<R2BucketBinding> out;
    if (value.isUndefined())
        return out;
    if (!value.isArray())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1line %2: %3 must be an array")
                             .arg(where)
                             .arg(doc.lineOf(pointer))
                             .arg(pointer.mid(1).replace(QLatin1Char('/'), QLatin1Char('.'))));
    const QJsonArray arr = value.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString p = pointer + QLatin1Char('/') + QString::number(i);
        const QJsonObject o = arr.at(i).toObject();
        R2BucketBinding b;
        b.binding = o.value(QLatin1String("binding")).toString();
        b.bucketName = o.value(QLatin1String("bucket_name")).toString();
        b.line = doc.lineOf(p);
        if (!arr.at(i).isObject() || b.bucketName.isEmpty())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("%1line %2: each r2_buckets entry needs a \"bucket_name\" string")
                                 .arg(where)
                                 .arg(b.line));
        out.append(b);
    }
    return out;
}

} // namespace

Result<WranglerConfig> WranglerConfig::load(const QString &path)
{
    const auto text = Jsonc::readConfigFile(path, QStringLiteral("wrangler config"));
    if (!text)
        return text.error();
    return parse(text.value(), path);
}

namespace {

// The "vars" of one env block: ENVIRONMENT and R2_BUCKET_NAME, each with its line.
Status readEnvironmentVars(const JsoncDocument &doc, const QString &p, const QJsonValue &vars,
                           const QString &where, WranglerEnvironment &e)
{
    const QString name = e.name;
    const QJsonValue ev = vars.toObject().value(QLatin1String("ENVIRONMENT"));
    if (!ev.isUndefined()) {
        if (!ev.isString())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("%1line %2: env.%3.vars.ENVIRONMENT must be a string")
                                 .arg(where)
                                 .arg(doc.lineOf(p + QStringLiteral("/vars/ENVIRONMENT")))
                                 .arg(name));
        e.hasEnvironmentVar = true;
        e.environmentVar = ev.toString();
    }
    const QJsonValue bn = vars.toObject().value(QLatin1String("R2_BUCKET_NAME"));
    if (bn.isUndefined())
        return success();
    e.bucketNameLine = doc.lineOf(p + QStringLiteral("/vars/R2_BUCKET_NAME"));
    if (!bn.isString())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1line %2: env.%3.vars.R2_BUCKET_NAME must be a string")
                             .arg(where)
                             .arg(e.bucketNameLine)
                             .arg(name));
    e.bucketNameVar = bn.toString();
    // The worker would use it as given: a name R2 cannot have is a configuration error here.
    if (!e.bucketNameVar.isEmpty())
        if (const QString err = BucketNaming::bucketNameError(e.bucketNameVar); !err.isEmpty())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("%1line %2: env.%3.vars.R2_BUCKET_NAME: %4")
                                 .arg(where)
                                 .arg(e.bucketNameLine)
                                 .arg(name, err));
    return success();
}

// One block of "env": its worker name, vars and R2 bindings.
Result<WranglerEnvironment> readEnvironment(const JsoncDocument &doc, const QString &name,
                                            const QJsonValue &block, const QString &where)
{
    const QString p = QStringLiteral("/env/") + Jsonc::escapePointerToken(name);
    if (!block.isObject())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1line %2: env.%3 must be an object").arg(where).arg(doc.lineOf(p)).arg(name));
    const QJsonObject o = block.toObject();
    WranglerEnvironment e;
    e.name = name;
    e.line = doc.lineOf(p);
    e.workerName = o.value(QLatin1String("name")).toString();
    const QJsonValue vars = o.value(QLatin1String("vars"));
    e.varsLine = vars.isUndefined() ? e.line : doc.lineOf(p + QStringLiteral("/vars"));
    if (!vars.isUndefined() && !vars.isObject())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1line %2: env.%3.vars must be an object").arg(where).arg(e.varsLine).arg(name));
    if (const Status s = readEnvironmentVars(doc, p, vars, where, e); !s)
        return s.error();
    auto b =
        readBindings(doc, o.value(QLatin1String("r2_buckets")), p + QStringLiteral("/r2_buckets"), where);
    if (!b)
        return b.error();
    e.r2Buckets = b.value();
    return e;
}

} // namespace

Result<WranglerConfig> WranglerConfig::parse(const QByteArray &text, const QString &path)
{
    const QString where = path.isEmpty() ? QString() : path + QStringLiteral(": ");
    auto parsed = Jsonc::parse(text, path);
    if (!parsed)
        return parsed.error();
    const JsoncDocument &doc = parsed.value();
    if (!doc.root.isObject())
        return makeError(ErrorKind::InvalidInput, where + QStringLiteral("the top level must be an object"));
    const QJsonObject root = doc.root.toObject();

    WranglerConfig cfg;
    cfg.path = path;
    cfg.topLevelName = root.value(QLatin1String("name")).toString();
    auto top =
        readBindings(doc, root.value(QLatin1String("r2_buckets")), QStringLiteral("/r2_buckets"), where);
    if (!top)
        return top.error();
    cfg.topLevelR2Buckets = top.value();

    const QJsonValue env = root.value(QLatin1String("env"));
    if (env.isUndefined())
        return cfg;
    if (!env.isObject())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("%1line %2: \"env\" must be an object")
                                                      .arg(where)
                                                      .arg(doc.lineOf(QStringLiteral("/env"))));
    const QJsonObject envs = env.toObject();
    // QJsonObject sorts keys; restore file order from the recorded lines.
    QStringList names = envs.keys();
    std::sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
        return doc.order.value(QStringLiteral("/env/") + Jsonc::escapePointerToken(a)) <
               doc.order.value(QStringLiteral("/env/") + Jsonc::escapePointerToken(b));
    });
    for (const QString &name : names) {
        auto e = readEnvironment(doc, name, envs.value(name), where);
        if (!e)
            return e.error();
        cfg.environments.append(e.value());
    }
    return cfg;
}

QStringList WranglerConfig::environmentNames() const
{
    QStringList out;
    for (const auto &e : environments) {
        if (e.hasEnvironmentVar && !e.environmentVar.isEmpty() && !out.contains(e.environmentVar))
            out.append(e.environmentVar);
        else if (!e.hasEnvironmentVar && !e.bucketNameVar.isEmpty() && !out.contains(e.name))
            out.append(e.name);
    }
    return out;
}

const WranglerEnvironment *WranglerConfig::environmentFor(const QString &name) const
{
    for (const WranglerEnvironment &e : environments) {
        if (e.hasEnvironmentVar && e.environmentVar == name)
            return &e;
    }
    for (const WranglerEnvironment &e : environments) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

} // namespace moltdesk
