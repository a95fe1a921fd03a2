#include "Profile.h"

#include "Jsonc.h"
#include "Logging.h"
#include "ProfileCheck.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

namespace moltdesk {

namespace {

QString expandPath(const QString &p, const QString &baseDir)
{
    if (p == QLatin1String("~"))
        return QDir::homePath();
    if (p.startsWith(QLatin1String("~/")))
        return QDir::cleanPath(QDir::homePath() + p.mid(1));
    if (QDir::isAbsolutePath(p))
        return QDir::cleanPath(p);
    return QDir::cleanPath(baseDir + QLatin1Char('/') + p);
}

class Reader
{
public:
    Reader(const JsoncDocument &doc, QString file, ProfileProblem *problem)
        : m_doc(doc), m_file(std::move(file)), m_problem(problem)
    {}

    Error error(const QString &pointer, const QString &message) const
    {
        return error(pointer, message, profileFieldAt(pointer));
    }
    // For a problem the pointer does not name (a key that is missing altogether).
    Error error(const QString &pointer, const QString &message, ProfileField field) const
    {
        if (m_problem)
            *m_problem = {field, message};
        const int line = m_doc.lineOf(pointer);
        QString where = m_file;
        if (line > 0)
            where += QStringLiteral(":%1").arg(line);
        return makeError(ErrorKind::InvalidInput, where + QStringLiteral(": ") + message);
    }

    void checkKeys(const QJsonObject &o, const QString &pointer, const QStringList &known,
                   QStringList &warnings) const
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key())) {
                const QString at =
                    pointer.isEmpty() ? it.key() : pointer.mid(1) + QLatin1Char('.') + it.key();
                warnings.append(
                    QStringLiteral("%1:%2: unknown key \"%3\" ignored (known here: %4)")
                        .arg(m_file)
                        .arg(m_doc.lineOf(pointer + QLatin1Char('/') + Jsonc::escapePointerToken(it.key())))
                        .arg(at, known.join(QStringLiteral(", "))));
            }
        }
    }

private:
    const JsoncDocument &m_doc;
    QString m_file;
    ProfileProblem *m_problem; // may be null
};

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("missing");
    }
    return QStringLiteral("unknown");
}

} // namespace

QString workerUrlProblem(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() ||
        url.hasFragment() || (!url.path().isEmpty() && url.path() != QLatin1String("/")))
        return QStringLiteral("not a URL with a host (and no path, user, query or fragment)");
    if (url.scheme() == QLatin1String("https"))
        return {};
    const QHostAddress host(url.host());
    if (url.scheme() == QLatin1String("http") &&
        (host.isLoopback() || url.host() == QLatin1String("localhost")))
        return {};
    return QStringLiteral(
        "a worker URL must be https:// (plain http:// only to a loopback address): the Access "
        "service token must not cross the network unencrypted");
}

QString endpointProblem(const QString &endpoint)
{
    const QUrl url(endpoint, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
        (!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery() ||
        !url.userInfo().isEmpty())
        return QStringLiteral("storage.endpoint \"%1\" is not an http(s) URL with a host and no path, like "
                              "https://<account>.r2.cloudflarestorage.com")
            .arg(endpoint.left(200));
    return {};
}

QString Profile::resolvePath(const QString &path) const
{
    return path.isEmpty() ? QString() : expandPath(path, directory);
}

QList<SyncSet> Profile::defaultSyncSets()
{
    return {{expandPath(QStringLiteral("~/.clawdbot"), {}), QStringLiteral("clawdbot/")},
            {expandPath(QStringLiteral("~/clawd/skills"), {}), QStringLiteral("skills/")}};
}

QList<SyncSet> Profile::upstreamSyncSets()
{
    // moltworker's rclone era: /root/.openclaw/ -> openclaw/, /root/clawd/ -> workspace/ without
    // skills/**, /root/clawd/skills/ -> skills/.
    return {{expandPath(QStringLiteral("~/.openclaw"), {}), QStringLiteral("openclaw/")},
            {expandPath(QStringLiteral("~/clawd"), {}),
             QStringLiteral("workspace/"),
             {QStringLiteral("skills/**")}},
            {expandPath(QStringLiteral("~/clawd/skills"), {}), QStringLiteral("skills/")}};
}

QStringList Profile::defaultExcludes()
{
    return {QStringLiteral("*.lock"), QStringLiteral("*.log"), QStringLiteral("*.tmp"),
            QStringLiteral(".git/**")};
}

const QList<SyncSet> &Profile::syncSetsFor(const QString &environment) const
{
    const auto it = syncSetsByEnvironment.constFind(environment);
    return it == syncSetsByEnvironment.cend() ? syncSets : it.value();
}

QUrl Profile::r2Endpoint(const QString &accountId)
{
    return QUrl(QStringLiteral("https://%1.r2.cloudflarestorage.com").arg(accountId));
}

Result<Profile> Profile::load(const QString &path)
{
    const auto text = Jsonc::readConfigFile(path, QStringLiteral("profile"));
    if (!text)
        return text.error();
    return parse(text.value(), QFileInfo(path).absoluteFilePath());
}

namespace {

// One list of sync sets ("syncSets", or one environment's list in the per-environment form).
Result<QList<SyncSet>> parseSyncSetList(const Reader &r, const QJsonValue &value, const QString &pointer,
                                        const QString &label, Profile &p)
{
    if (!value.isArray())
        return r.error(pointer,
                       QStringLiteral("\"%1\" must be an array, found %2").arg(label, typeName(value)));
    QList<SyncSet> out;
    const QJsonArray arr = value.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString ptr = QStringLiteral("%1/%2").arg(pointer).arg(i);
        const QString item = QStringLiteral("%1[%2]").arg(label).arg(i);
        if (!arr.at(i).isObject())
            return r.error(ptr,
                           QStringLiteral("%1 must be an object with \"local\" and \"prefix\"").arg(item));
        const QJsonObject s = arr.at(i).toObject();
        r.checkKeys(s, ptr, {QStringLiteral("local"), QStringLiteral("prefix"), QStringLiteral("exclude")},
                    p.warnings);
        QStringList setExclude;
        const QJsonValue sx = s.value(QLatin1String("exclude"));
        for (const QJsonValue &v : sx.toArray())
            setExclude.append(v.toString());
        if (!sx.isUndefined() &&
            (!sx.isArray() || setExclude.contains(QString()) || setExclude.size() != sx.toArray().size()))
            return r.error(ptr, QStringLiteral("%1.exclude must be an array of glob patterns").arg(item));
        const QJsonValue local = s.value(QLatin1String("local"));
        const QJsonValue prefix = s.value(QLatin1String("prefix"));
        if (!local.isString() || local.toString().isEmpty())
            return r.error(ptr, QStringLiteral("%1.local must be a directory path").arg(item));
        if (!prefix.isString())
            return r.error(ptr, QStringLiteral("%1.prefix must be a string like \"clawdbot/\"").arg(item));
        QString pre = prefix.toString();
        if (!pre.isEmpty() && !pre.endsWith(QLatin1Char('/')))
            pre += QLatin1Char('/');
        if (pre.startsWith(QLatin1Char('/')) || pre.contains(QLatin1String("..")) ||
            pre.contains(QLatin1String("//")) || pre.contains(QChar(0)))
            return r.error(
                ptr, QStringLiteral("%1.prefix \"%2\" must be a relative key prefix without \"..\" or \"//\"")
                         .arg(item, pre));
        for (const SyncSet &other : std::as_const(out)) {
            if (other.prefix.startsWith(pre) || pre.startsWith(other.prefix))
                return r.error(ptr, QStringLiteral("%1.prefix \"%2\" overlaps \"%3\": each set needs its own "
                                                   "prefix, or one sync would delete the other's objects")
                                        .arg(item, pre, other.prefix));
        }
        out.append({expandPath(local.toString(), p.directory), pre, setExclude});
    }
    return out;
}

} // namespace

namespace {

// Profile::parse's readers, one per key of the profile, in the order the keys are checked (an error
// names the first bad key; warnings come in that order too). Each reads its key into the profile.
class ProfileParser
{
public:
    ProfileParser(const Reader &r, const QJsonObject &o, Profile &p) : m_r(r), m_o(o), m_p(p) {}

    Status run()
    {
        for (Status (ProfileParser::*read)() :
             {&ProfileParser::environments, &ProfileParser::includeLegacy, &ProfileParser::staleAfterHours,
              &ProfileParser::naming, &ProfileParser::caBundle, &ProfileParser::bucketNames,
              &ProfileParser::wrangler, &ProfileParser::startScript, &ProfileParser::workers,
              &ProfileParser::workersDevSubdomain, &ProfileParser::storage, &ProfileParser::syncSets,
              &ProfileParser::exclude}) {
            if (const Status s = (this->*read)(); !s)
                return s;
        }
        return success();
    }

private:
    QJsonValue value(const char *key) const { return m_o.value(QLatin1String(key)); }
    static QString pointer(const char *key) { return QLatin1Char('/') + QLatin1String(key); }

    Status environments()
    {
        const QJsonValue envs = value("environments");
        if (envs.isUndefined())
            return success();
        if (!envs.isArray())
            return m_r.error(
                QStringLiteral("/environments"),
                QStringLiteral("\"environments\" must be an array of names, found %1").arg(typeName(envs)));
        const QJsonArray arr = envs.toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QString ptr = QStringLiteral("/environments/%1").arg(i);
            if (!arr.at(i).isString())
                return m_r.error(ptr, QStringLiteral("environments[%1] must be a string, found %2")
                                          .arg(i)
                                          .arg(typeName(arr.at(i))));
            const QString name = arr.at(i).toString();
            if (name.isEmpty())
                return m_r.error(
                    ptr,
                    QStringLiteral(
                        "environments[%1] is empty; the legacy environment is set with \"includeLegacy\"")
                        .arg(i));
            if (m_p.environments.contains(name))
                return m_r.error(ptr, QStringLiteral("environment \"%1\" is listed twice").arg(name));
            m_p.environments.append(name);
        }
        return success();
    }

    Status includeLegacy()
    {
        const QJsonValue legacy = value("includeLegacy");
        if (legacy.isUndefined())
            return success();
        if (!legacy.isBool())
            return m_r.error(
                QStringLiteral("/includeLegacy"),
                QStringLiteral("\"includeLegacy\" must be true or false, found %1").arg(typeName(legacy)));
        m_p.includeLegacy = legacy.toBool();
        return success();
    }

    Status staleAfterHours()
    {
        const QJsonValue stale = value("staleAfterHours");
        if (stale.isUndefined())
            return success();
        if (!stale.isDouble() || stale.toDouble() <= 0 || stale.toDouble() > 24 * 365)
            return m_r.error(
                QStringLiteral("/staleAfterHours"),
                QStringLiteral("\"staleAfterHours\" must be a number of hours between 1 and 8760"));
        m_p.staleAfterHours = int(stale.toDouble());
        return success();
    }

    // "naming", then the naming rule checked against its bases and every listed environment.
    Status naming()
    {
        const QJsonValue naming = value("naming");
        if (!naming.isUndefined()) {
            if (!naming.isObject())
                return m_r.error(
                    QStringLiteral("/naming"),
                    QStringLiteral("\"naming\" must be an object, found %1").arg(typeName(naming)));
            const QJsonObject n = naming.toObject();
            m_r.checkKeys(
                n, QStringLiteral("/naming"),
                {QStringLiteral("bucketBase"), QStringLiteral("mountBase"), QStringLiteral("instanceBase")},
                m_p.warnings);
            for (auto s : {namingBase(n, "bucketBase", m_p.naming.bucketBase),
                           namingBase(n, "mountBase", m_p.naming.mountBase),
                           namingBase(n, "instanceBase", m_p.naming.instanceBase)}) {
                if (!s)
                    return s;
            }
        }
        const BucketNaming bn(m_p.naming);
        if (auto s = bn.validateBases(); !s)
            return m_r.error(QStringLiteral("/naming"), s.error().message);
        for (qsizetype i = 0; i < m_p.environments.size(); ++i) {
            if (const QString e = bn.validationError(m_p.environments.at(i)); !e.isEmpty())
                return m_r.error(QStringLiteral("/environments/%1").arg(i), e);
        }
        return success();
    }

    Status namingBase(const QJsonObject &n, const char *key, QString &target) const
    {
        const QJsonValue v = n.value(QLatin1String(key));
        if (v.isUndefined())
            return success();
        if (!v.isString() || v.toString().isEmpty())
            return m_r.error(QStringLiteral("/naming/") + QLatin1String(key),
                             QStringLiteral("naming.%1 must be a non-empty string, found %2")
                                 .arg(QLatin1String(key), typeName(v)));
        target = v.toString();
        return success();
    }

    // A key naming a file, relative to the profile's folder: "caBundle", "wrangler", "startScript".
    Status path(const char *key, const QString &what, QString &target) const
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return success();
        if (!v.isString() || v.toString().isEmpty())
            return m_r.error(
                pointer(key),
                QStringLiteral("\"%1\" must be %2, found %3").arg(QLatin1String(key), what, typeName(v)));
        target = expandPath(v.toString(), m_p.directory);
        return success();
    }
    Status caBundle()
    {
        return path("caBundle", QStringLiteral("the path of a PEM file of CA certificates"),
                    m_p.caBundlePath);
    }
    Status wrangler() { return path("wrangler", QStringLiteral("a path string"), m_p.wranglerPath); }
    Status startScript()
    {
        return path("startScript", QStringLiteral("the path of the container's start-moltbot.sh"),
                    m_p.startScriptPath);
    }

    Status bucketNames()
    {
        const QJsonValue bns = value("bucketNames");
        if (bns.isUndefined())
            return success();
        if (!bns.isObject())
            return m_r.error(QStringLiteral("/bucketNames"),
                             QStringLiteral("\"bucketNames\" must map environment names to buckets, found %1")
                                 .arg(typeName(bns)));
        const BucketNaming bn(m_p.naming);
        const QJsonObject m = bns.toObject();
        for (auto it = m.begin(); it != m.end(); ++it) {
            const QString ptr = QStringLiteral("/bucketNames/") + Jsonc::escapePointerToken(it.key());
            const QString env = it.key() == QLatin1String("legacy") ? QString() : it.key();
            if (!env.isEmpty())
                if (const QString e = bn.validationError(env); !e.isEmpty())
                    return m_r.error(ptr, QStringLiteral("bucketNames: ") + e);
            if (!it.value().isString())
                return m_r.error(ptr, QStringLiteral("bucketNames.%1 must be a bucket name string, found %2")
                                          .arg(it.key(), typeName(it.value())));
            if (const QString e = BucketNaming::bucketNameError(it.value().toString()); !e.isEmpty())
                return m_r.error(ptr, QStringLiteral("bucketNames.%1: %2").arg(it.key(), e));
            m_p.bucketNames.insert(env, it.value().toString());
        }
        return success();
    }

    // "workers": the deployment's admin API per environment.
    Status workers()
    {
        const QJsonValue wk = value("workers");
        if (wk.isUndefined())
            return success();
        if (!wk.isObject())
            return m_r.error(QStringLiteral("/workers"),
                             QStringLiteral("\"workers\" must map environment names to worker URLs, found %1")
                                 .arg(typeName(wk)));
        const QJsonObject wo = wk.toObject();
        for (auto it = wo.begin(); it != wo.end(); ++it) {
            const QString ptr = QStringLiteral("/workers/") + Jsonc::escapePointerToken(it.key());
            const QUrl url(it.value().toString(), QUrl::StrictMode);
            const QString why =
                it.value().isString() ? workerUrlProblem(url) : QStringLiteral("not a string");
            if (!why.isEmpty())
                return m_r.error(ptr, QStringLiteral("workers.%1 \"%2\": %3")
                                          .arg(it.key(), it.value().toString().left(200), why));
            m_p.workers.insert(it.key(), url.adjusted(QUrl::RemovePath)); // path is empty or "/"
        }
        return success();
    }

    Status workersDevSubdomain()
    {
        const QJsonValue sub = value("workersDevSubdomain");
        if (sub.isUndefined())
            return success();
        static const QRegularExpression label(QStringLiteral("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"));
        if (!sub.isString() || !label.match(sub.toString()).hasMatch())
            return m_r.error(
                QStringLiteral("/workersDevSubdomain"),
                QStringLiteral("\"workersDevSubdomain\" must be your workers.dev subdomain, one DNS "
                               "label such as \"acme\""));
        m_p.workersDevSubdomain = sub.toString();
        return success();
    }

    Status storage()
    {
        const QJsonValue st = value("storage");
        if (st.isUndefined())
            return m_r.error(
                QString(),
                QStringLiteral("\"storage\" is missing: say { \"type\": \"s3\", \"endpoint\": ... } "
                               "or { \"type\": \"mount\", \"root\": DIR }"),
                ProfileField::Storage);
        if (!st.isObject())
            return m_r.error(QStringLiteral("/storage"),
                             QStringLiteral("\"storage\" must be an object, found %1").arg(typeName(st)));
        const QJsonObject so = st.toObject();
        const QString type = so.value(QLatin1String("type")).toString();
        if (type == QLatin1String("s3"))
            return s3Storage(so);
        if (type == QLatin1String("mount"))
            return mountStorage(so);
        return m_r.error(QStringLiteral("/storage/type"),
                         QStringLiteral("storage.type must be \"s3\" or \"mount\", found %1")
                             .arg(so.value(QLatin1String("type")).isString()
                                      ? QLatin1Char('"') + type + QLatin1Char('"')
                                      : typeName(so.value(QLatin1String("type")))));
    }

    Status s3Storage(const QJsonObject &so)
    {
        m_p.storage.type = StorageType::S3;
        m_r.checkKeys(so, QStringLiteral("/storage"),
                      {QStringLiteral("type"), QStringLiteral("endpoint"), QStringLiteral("region")},
                      m_p.warnings);
        if (const Status s = s3Endpoint(so.value(QLatin1String("endpoint"))); !s)
            return s;
        const QJsonValue region = so.value(QLatin1String("region"));
        if (region.isUndefined())
            return success();
        if (!region.isString() || region.toString().isEmpty())
            return m_r.error(QStringLiteral("/storage/region"),
                             QStringLiteral("storage.region must be a non-empty string such as \"auto\""));
        m_p.storage.region = region.toString();
        return success();
    }

    Status s3Endpoint(const QJsonValue &ep)
    {
        if (ep.isUndefined())
            return success();
        // A value that is not a string reads as "", which is no URL either.
        if (const QString why = endpointProblem(ep.toString()); !why.isEmpty())
            return m_r.error(QStringLiteral("/storage/endpoint"), why);
        const QUrl url(ep.toString(), QUrl::StrictMode);
        m_p.storage.endpoint = url.adjusted(QUrl::StripTrailingSlash);
        if (url.scheme() == QLatin1String("http") &&
            url.host().endsWith(QLatin1String(".r2.cloudflarestorage.com")))
            m_p.warnings.append(QStringLiteral("storage.endpoint uses plain http for R2: credentials and "
                                               "data would cross the network unencrypted; use https"));
        return success();
    }

    Status mountStorage(const QJsonObject &so)
    {
        m_p.storage.type = StorageType::Mount;
        m_r.checkKeys(so, QStringLiteral("/storage"), {QStringLiteral("type"), QStringLiteral("root")},
                      m_p.warnings);
        const QJsonValue root = so.value(QLatin1String("root"));
        if (!root.isString() || root.toString().isEmpty())
            return m_r.error(QStringLiteral("/storage/root"),
                             QStringLiteral("storage.root must name the directory that holds the mount paths "
                                            "(\"/\" in a container)"));
        m_p.storage.root = expandPath(root.toString(), m_p.directory);
        return success();
    }

    // "layout": which folders the container keeps in the bucket when no syncSets are given.
    Result<QList<SyncSet>> layoutSyncSets() const
    {
        const QJsonValue layout = value("layout");
        if (layout.isUndefined())
            return Profile::defaultSyncSets();
        if (layout != QJsonValue(QStringLiteral("seed")) && layout != QJsonValue(QStringLiteral("upstream")))
            return m_r.error(
                QStringLiteral("/layout"),
                QStringLiteral("\"layout\" must be \"seed\" (clawdbot/, skills/) or \"upstream\" "
                               "(openclaw/, workspace/, skills/)"));
        return layout.toString() == QLatin1String("upstream") ? Profile::upstreamSyncSets()
                                                              : Profile::defaultSyncSets();
    }

    // "syncSets": one list for every environment, or { "default": [...], "<env>": [...] }.
    Status syncSets()
    {
        const auto fallback = layoutSyncSets();
        if (!fallback)
            return fallback.error();
        const QJsonValue sets = value("syncSets");
        if (sets.isUndefined()) {
            m_p.syncSets = fallback.value();
            return success();
        }
        if (!sets.isObject()) {
            auto list =
                parseSyncSetList(m_r, sets, QStringLiteral("/syncSets"), QStringLiteral("syncSets"), m_p);
            if (!list)
                return list.error();
            m_p.syncSets = list.value();
            return success();
        }
        const QJsonObject byEnv = sets.toObject();
        for (auto it = byEnv.begin(); it != byEnv.end(); ++it) {
            const QString ptr = QStringLiteral("/syncSets/") + Jsonc::escapePointerToken(it.key());
            auto list = parseSyncSetList(m_r, it.value(), ptr, QStringLiteral("syncSets.") + it.key(), m_p);
            if (!list)
                return list.error();
            if (it.key() == QLatin1String("default"))
                m_p.syncSets = list.value();
            else if (const QString why = BucketNaming().validationError(it.key()); why.isEmpty())
                m_p.syncSetsByEnvironment.insert(it.key(), list.value());
            else
                return m_r.error(ptr, QStringLiteral("syncSets key \"%1\" is neither \"default\" nor an "
                                                     "environment name: %2")
                                          .arg(it.key(), why));
        }
        if (!byEnv.contains(QLatin1String("default")))
            m_p.syncSets = fallback.value();
        return success();
    }

    Status exclude()
    {
        const QJsonValue ex = value("exclude");
        if (ex.isUndefined()) {
            m_p.exclude = Profile::defaultExcludes();
            return success();
        }
        if (!ex.isArray())
            return m_r.error(QStringLiteral("/exclude"),
                             QStringLiteral("\"exclude\" must be an array of glob patterns"));
        for (const QJsonValue &v : ex.toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                return m_r.error(
                    QStringLiteral("/exclude"),
                    QStringLiteral("each \"exclude\" entry must be a non-empty glob pattern string"));
            m_p.exclude.append(v.toString());
        }
        return success();
    }

    const Reader &m_r;
    const QJsonObject &m_o;
    Profile &m_p;
};

} // namespace

Result<Profile> Profile::parse(const QByteArray &text, const QString &path)
{
    return parse(text, path, nullptr);
}

Result<Profile> Profile::parse(const QByteArray &text, const QString &path, ProfileProblem *problem)
{
    auto parsed = Jsonc::parse(text, path);
    if (!parsed) {
        if (problem)
            *problem = {ProfileField::Whole, parsed.error().message};
        return parsed.error();
    }
    const JsoncDocument &doc = parsed.value();
    const Reader r(doc, path.isEmpty() ? QStringLiteral("profile") : path, problem);
    if (!doc.root.isObject())
        return r.error(QString(),
                       QStringLiteral("a profile must be a JSON object, found %1").arg(typeName(doc.root)));
    const QJsonObject o = doc.root.toObject();

    Profile p;
    p.path = path;
    p.directory = path.isEmpty() ? QDir::currentPath() : QFileInfo(path).absolutePath();
    r.checkKeys(o, QString(),
                {QStringLiteral("environments"), QStringLiteral("includeLegacy"), QStringLiteral("naming"),
                 QStringLiteral("wrangler"), QStringLiteral("storage"), QStringLiteral("syncSets"),
                 QStringLiteral("exclude"), QStringLiteral("staleAfterHours"), QStringLiteral("name"),
                 QStringLiteral("startScript"), QStringLiteral("workers"),
                 QStringLiteral("workersDevSubdomain"), QStringLiteral("bucketNames"),
                 QStringLiteral("layout"), QStringLiteral("caBundle")},
                p.warnings);
    if (const Status s = ProfileParser(r, o, p).run(); !s)
        return s.error();
    for (const QString &w : std::as_const(p.warnings))
        qCInfo(lcConfig).noquote() << w;
    return p;
}

QByteArray Profile::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("environments"), QJsonArray::fromStringList(environments));
    o.insert(QStringLiteral("includeLegacy"), includeLegacy);
    o.insert(QStringLiteral("naming"), QJsonObject{{QStringLiteral("bucketBase"), naming.bucketBase},
                                                   {QStringLiteral("mountBase"), naming.mountBase},
                                                   {QStringLiteral("instanceBase"), naming.instanceBase}});
    const QDir dir(directory);
    const auto rel = [&](const QString &p) {
        return p.startsWith(directory + QLatin1Char('/')) ? dir.relativeFilePath(p) : p;
    };
    if (!wranglerPath.isEmpty())
        o.insert(QStringLiteral("wrangler"), rel(wranglerPath));
    if (!startScriptPath.isEmpty())
        o.insert(QStringLiteral("startScript"), rel(startScriptPath));
    if (!caBundlePath.isEmpty())
        o.insert(QStringLiteral("caBundle"), rel(caBundlePath));
    QJsonObject st;
    if (storage.type == StorageType::S3) {
        st.insert(QStringLiteral("type"), QStringLiteral("s3"));
        if (!storage.endpoint.isEmpty())
            st.insert(QStringLiteral("endpoint"), storage.endpoint.toString());
        st.insert(QStringLiteral("region"), storage.region);
    } else {
        st.insert(QStringLiteral("type"), QStringLiteral("mount"));
        st.insert(QStringLiteral("root"), rel(storage.root));
    }
    o.insert(QStringLiteral("storage"), st);
    const auto setsJson = [&](const QList<SyncSet> &list) {
        QJsonArray sets;
        for (const SyncSet &s : list) {
            QJsonObject set{{QStringLiteral("local"), rel(s.local)}, {QStringLiteral("prefix"), s.prefix}};
            if (!s.exclude.isEmpty())
                set.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(s.exclude));
            sets.append(set);
        }
        return sets;
    };
    if (syncSetsByEnvironment.isEmpty()) {
        o.insert(QStringLiteral("syncSets"), setsJson(syncSets));
    } else {
        QJsonObject byEnv{{QStringLiteral("default"), setsJson(syncSets)}};
        for (auto it = syncSetsByEnvironment.cbegin(); it != syncSetsByEnvironment.cend(); ++it)
            byEnv.insert(it.key(), setsJson(it.value()));
        o.insert(QStringLiteral("syncSets"), byEnv);
    }
    if (!bucketNames.isEmpty()) {
        QJsonObject bn;
        for (auto it = bucketNames.cbegin(); it != bucketNames.cend(); ++it)
            bn.insert(it.key().isEmpty() ? QStringLiteral("legacy") : it.key(), it.value());
        o.insert(QStringLiteral("bucketNames"), bn);
    }
    o.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(exclude));
    o.insert(QStringLiteral("staleAfterHours"), staleAfterHours);
    if (!workers.isEmpty()) {
        QJsonObject w;
        for (auto it = workers.begin(); it != workers.end(); ++it)
            w.insert(it.key(), it.value().toString());
        o.insert(QStringLiteral("workers"), w);
    }
    if (!workersDevSubdomain.isEmpty())
        o.insert(QStringLiteral("workersDevSubdomain"), workersDevSubdomain);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Status Profile::save(const QString &target) const
{
    QSaveFile f(target);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot write profile %1: %2").arg(target, f.errorString()));
    f.write(toJson());
    if (!f.commit())
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot write profile %1: %2").arg(target, f.errorString()));
    return success();
}

} // namespace moltdesk
