#pragma once

#include "AuditCheck.h"
#include "IsolationAudit.h"
#include "Logging.h"
#include "SeedLayout.h"

#include <QFileInfo>
#include <QMap>
#include <optional>

namespace moltdesk::checks {

constexpr qint64 kMaxHashedObject = 16 * 1024 * 1024;
// "{}", "[]" and the like are identical everywhere and carry no secret.
constexpr qint64 kTrivialSize = 4;
// A .last-sync this far ahead of our clock is not clock noise.
constexpr qint64 kFutureToleranceSecs = 5 * 60;

inline QString fileLine(const QString &file, int line)
{
    const QString name = QFileInfo(file).fileName();
    return line > 0 ? QStringLiteral("%1:%2").arg(name).arg(line) : name;
}

inline QString envArg(const EnvironmentNames &env)
{
    return env.isLegacy() ? QStringLiteral("legacy") : env.environment;
}

inline QString joinComma(const QStringList &l)
{
    return l.join(QStringLiteral(", "));
}

inline Severity worst(Severity a, Severity b)
{
    return int(a) > int(b) ? a : b;
}

// What every built-in check shares: the context of this run, the sink, and the seed's formulas.
class CheckBase : public AuditCheck
{
protected:
    void begin(const AuditContext &context, FindingSink &sink)
    {
        m_ctx = &context;
        m_sink = &sink;
    }

    const Workspace &ws() const { return m_ctx->workspace; }
    const AuditOptions &options() const { return m_ctx->options; }
    const CancelToken &cancel() const { return m_ctx->cancel; }
    const StorageFactory &factory() const { return m_ctx->factory; }
    bool mountMode() const { return m_ctx->mountMode; }
    const QList<AuditEnvironment> &envs() const { return m_ctx->environments; }
    bool readable(int i) const { return envs().at(i).readable(); }

    void add(Finding f) { m_sink->add(std::move(f)); }
    void notChecked(const QString &check, const QString &environment, const QString &title,
                    const QString &why, const QString &toRun)
    {
        m_sink->notChecked(check, environment, title, why, toRun);
    }

    QString accessRemedy(const AuditEnvironment &c) const
    {
        return mountMode()
                   ? QStringLiteral("mount bucket %1 at %2").arg(c.names.bucket, ws().mountDirectory(c.names))
                   : QStringLiteral("give %1 credentials that reach %2 (moltctl credentials set %3, or "
                                    "R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY in .dev.vars.%3)")
                         .arg(c.display, c.names.bucket, envArg(c.names));
    }

    // The part of `check` that needs c's bucket could not run: say so, never skip silently.
    void bucketNotChecked(const QString &check, const AuditEnvironment &c)
    {
        notChecked(check, c.display,
                   QStringLiteral("%1 not checked for %2: its bucket cannot be read").arg(check, c.display),
                   c.unreachable ? c.unreachable->message : QStringLiteral("no storage backend"),
                   accessRemedy(c));
    }

    bool involvesProduction(std::initializer_list<int> indices) const
    {
        for (int i : indices) {
            if (envs().at(i).names.isProduction())
                return true;
        }
        return false;
    }

    // The seed's formulas, applied literally (the worker does not validate ENVIRONMENT).
    QString workerBucket(const std::optional<QString> &e) const
    {
        const NamingBases &b = ws().naming().bases();
        return e ? b.bucketBase + QLatin1Char('-') + *e : b.bucketBase;
    }
    QString workerMount(const std::optional<QString> &e) const
    {
        const NamingBases &b = ws().naming().bases();
        return e ? b.mountBase + QLatin1Char('-') + *e : b.mountBase;
    }

    FindingSink *m_sink = nullptr;

private:
    const AuditContext *m_ctx = nullptr;
};

// The leak rule's list of sensitive keys has one owner, shared with the compare view.
using moltdesk::isSensitiveKey;

} // namespace moltdesk::checks
