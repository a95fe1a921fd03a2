#include "StartScript.h"

#include "Logging.h"
#include "StartScriptEvaluator.h"

#include <QFile>

namespace moltdesk {

namespace {
constexpr qint64 kMaxScriptBytes = 4 * 1024 * 1024;
} // namespace

Result<StartScript> StartScript::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read start script %1: %2").arg(path, f.errorString()), path);
    if (f.size() > kMaxScriptBytes)
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("start script %1 is %2 bytes; that is not a start script").arg(path).arg(f.size()),
            path);
    return parse(f.readAll(), path);
}

StartScript StartScript::parse(const QByteArray &text, const QString &path)
{
    StartScript s;
    s.m_path = path;
    s.m_statements = ShellLexer::split(QString::fromUtf8(text));
    return s;
}

BackupDirEvaluation StartScript::evaluateBackupDir(const std::optional<QString> &environment) const
{
    const BackupDirEvaluation out = StartScriptEvaluator(environment).evaluate(m_statements);
    qCDebug(lcAudit) << "BACKUP_DIR for ENVIRONMENT" << environment.value_or(QStringLiteral("(unset)")) << "="
                     << out.value << out.problem;
    return out;
}

} // namespace moltdesk
