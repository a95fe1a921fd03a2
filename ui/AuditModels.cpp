#include "AuditModels.h"

#include "EnvironmentTableModel.h"

#include <QColor>
#include <algorithm>

namespace moltdesk {

namespace {
const QColor kGreen(0x2e, 0x7d, 0x32);
const QColor kRed(0xc6, 0x28, 0x28);
const QColor kAmber(0xb2, 0x6a, 0x00);
const QColor kGrey(0x61, 0x61, 0x61);
} // namespace

CredentialMatrixModel::CredentialMatrixModel(QObject *parent) : QAbstractTableModel(parent) {}

void CredentialMatrixModel::setReport(const AuditReport &report)
{
    beginResetModel();
    m_envs = report.environments;
    m_cells = report.matrix;
    endResetModel();
}

const AccessCell *CredentialMatrixModel::cell(int row, int column) const
{
    const QString &who = m_envs.at(row);
    const QString &whose = m_envs.at(column);
    for (const AccessCell &c : m_cells)
        if (c.credentialsOf == who && c.bucketOf == whose)
            return &c;
    return nullptr;
}

int CredentialMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_envs.size());
}

int CredentialMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_envs.size());
}

QVariant CredentialMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AccessCell *c = cell(index.row(), index.column());
    const bool diagonal = index.row() == index.column();
    if (!c) {
        if (role == Qt::DisplayRole)
            return QStringLiteral("—");
        if (role == Qt::ToolTipRole)
            return QStringLiteral("not tested");
        return {};
    }
    const bool allowed = c->access == AccessCell::Access::Allowed;
    const bool leak = allowed && !c->expected;
    const bool missingOwn = c->expected && c->access == AccessCell::Access::Denied;
    switch (role) {
    case Qt::DisplayRole:
        switch (c->access) {
        case AccessCell::Access::Allowed:
            return leak ? QStringLiteral("✘ REACHES") : QStringLiteral("✔ own");
        case AccessCell::Access::Denied:
            return c->expected ? QStringLiteral("✘ denied (own!)") : QStringLiteral("✔ denied");
        case AccessCell::Access::Error:
            return QStringLiteral("? error");
        case AccessCell::Access::NotTested:
            return QStringLiteral("not tested");
        }
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("%1's credentials%2 on %3: %4%5")
            .arg(c->credentialsOf,
                 c->accessKeyId.isEmpty() ? QString()
                                          : QStringLiteral(" (") + c->accessKeyId + QLatin1Char(')'),
                 c->bucket, accessName(c->access),
                 c->detail.isEmpty() ? QString() : QStringLiteral("\n") + c->detail);
    case Qt::ForegroundRole:
        if (leak || missingOwn)
            return kRed;
        if (c->access == AccessCell::Access::Error)
            return kAmber;
        return {};
    case Qt::BackgroundRole:
        if (leak || missingOwn)
            return QColor(0xc6, 0x28, 0x28, 60);
        if (diagonal && allowed)
            return QColor(0x2e, 0x7d, 0x32, 50);
        return {};
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case LeakRole:
        return leak;
    }
    return {};
}

QVariant CredentialMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0 || section >= m_envs.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    return orientation == Qt::Horizontal ? QString(m_envs.at(section) + QStringLiteral(" bucket"))
                                         : QString(m_envs.at(section) + QStringLiteral(" key"));
}

PathModel::PathModel(QObject *parent) : QAbstractTableModel(parent) {}

void PathModel::setReport(const AuditReport &report)
{
    beginResetModel();
    m_rows = report.paths;
    endResetModel();
}

int PathModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PathModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PathModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PathRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case EnvironmentColumn:
            return r.environment;
        case MountColumn:
            return r.mountPath;
        case WriteColumn:
            return r.writePath;
        case ReadColumn:
            return r.readPathKnown ? r.readPath : QStringLiteral("unknown");
        case AgreeColumn:
            return r.agree ? QStringLiteral("✔") : QStringLiteral("✘");
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case MountColumn:
            return QStringLiteral("%1\nfrom %2\nmounted by: %3")
                .arg(r.mountPath, r.mountSource, r.mountedBy.isEmpty() ? QStringLiteral("S3") : r.mountedBy);
        case ReadColumn:
            return QStringLiteral("%1\nfrom %2").arg(r.readPath, r.readSource);
        case AgreeColumn:
            return r.agree ? QStringLiteral("mount, write and read paths agree")
                           : QStringLiteral("paths disagree: data written by sync is not what restore reads");
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ForegroundRole:
        if (!r.agree)
            return kRed;
        if (index.column() == AgreeColumn)
            return kGreen;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == AgreeColumn)
            return int(Qt::AlignCenter);
        return {};
    }
    return {};
}

QVariant PathModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case MountColumn:
        return QStringLiteral("Mount");
    case WriteColumn:
        return QStringLiteral("Write (sync)");
    case ReadColumn:
        return QStringLiteral("Read (restore)");
    case AgreeColumn:
        return QStringLiteral("Agree");
    }
    return {};
}

FindingsModel::FindingsModel(QObject *parent) : QAbstractTableModel(parent) {}

void FindingsModel::setReport(const AuditReport &report)
{
    beginResetModel();
    m_findings = report.findings;
    std::stable_sort(m_findings.begin(), m_findings.end(),
                     [](const Finding &a, const Finding &b) { return int(a.severity) > int(b.severity); });
    endResetModel();
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding &f = m_findings.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return f.severity == Severity::Ok           ? QStringLiteral("✔ ok")
                   : f.severity == Severity::NotChecked ? QStringLiteral("? not checked")
                   : f.severity == Severity::Warning    ? QStringLiteral("▲ warning")
                                                        : QStringLiteral("✘ failure");
        case EnvironmentColumn:
            return f.environment.isEmpty() ? QStringLiteral("deployment") : f.environment;
        case TitleColumn:
            return f.title;
        case RemedyColumn:
            return f.remedy;
        }
        return {};
    case Qt::ToolTipRole: {
        QString t = f.title + QStringLiteral("\n\nSeen: ") + f.evidence;
        if (!f.remedy.isEmpty())
            t += (f.severity == Severity::NotChecked ? QStringLiteral("\nTo run it: ")
                                                     : QStringLiteral("\nFix: ")) +
                 f.remedy;
        if (!f.file.isEmpty())
            t += QStringLiteral("\nFile: ") + f.file +
                 (f.line > 0 ? QStringLiteral(":%1").arg(f.line) : QString());
        if (!f.fixCommand.isEmpty())
            t += QStringLiteral("\nCommand: ") + f.fixCommand;
        return t;
    }
    case Qt::ForegroundRole:
        if (f.severity == Severity::Failure)
            return kRed;
        if (f.severity == Severity::Warning && index.column() == SeverityColumn)
            return kAmber;
        if (f.severity == Severity::Ok && index.column() == SeverityColumn)
            return kGreen;
        if (f.severity == Severity::NotChecked)
            return kGrey;
        return {};
    case SeverityRole:
        return int(f.severity);
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn:
        return QStringLiteral("Severity");
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case TitleColumn:
        return QStringLiteral("Finding");
    case RemedyColumn:
        return QStringLiteral("Remedy");
    }
    return {};
}

} // namespace moltdesk
