#pragma once

#include "AuditReport.h"

#include <QAbstractTableModel>

namespace moltdesk {

// The credential matrix: rows are whose credentials, columns whose bucket. The diagonal should be
// allowed (green), everything off it denied; an allowed off-diagonal cell is a leak (red).
class CredentialMatrixModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles { LeakRole = Qt::UserRole + 1 };
    explicit CredentialMatrixModel(QObject *parent = nullptr);
    void setReport(const AuditReport &report);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const AccessCell *cell(int row, int column) const;
    QStringList m_envs;
    QList<AccessCell> m_cells;
};

// Mount, write and read path per environment, with whether they agree.
class PathModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { EnvironmentColumn, MountColumn, WriteColumn, ReadColumn, AgreeColumn, ColumnCount };
    explicit PathModel(QObject *parent = nullptr);
    void setReport(const AuditReport &report);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<PathRow> m_rows;
};

// Findings, worst first: severity, environment, title, evidence and remedy.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, EnvironmentColumn, TitleColumn, RemedyColumn, ColumnCount };
    enum Roles { SeverityRole = Qt::UserRole + 1 };
    explicit FindingsModel(QObject *parent = nullptr);
    void setReport(const AuditReport &report);
    const Finding &finding(int row) const { return m_findings.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Finding> m_findings;
};

} // namespace moltdesk
