#pragma once

#include "AuditWatch.h"
#include "EnvironmentPanel.h"

class QLabel;
class QTableView;

namespace moltdesk {

class CredentialMatrixModel;
class DataFlowView;
class FindingsModel;
class PathModel;

// The Isolation tab: the verdict's banner, the data flow per environment, the credential matrix, the
// paths and the findings of the last audit. It covers the whole profile: the selection only says
// which profile is open (a new one starts "not checked yet").
class IsolationPanel : public EnvironmentPanel
{
    Q_OBJECT
public:
    explicit IsolationPanel(QWidget *parent = nullptr);
    void setEnvironment(const EnvironmentSelection &selection) override;

    // An audit has started: the previous verdict stays visible, marked as being re-checked.
    void markRechecking();
    // A file the verdict depends on changed (`names`: their file names): visibly stale at once.
    void markStale(const QStringList &names);
    // The audit's report in every view; what the window shows of it elsewhere (tab, status bar).
    VerdictView showAudit(const AuditReport &report);

    CredentialMatrixModel *matrixModel() const { return m_matrix; }
    PathModel *pathModel() const { return m_paths; }
    FindingsModel *findingsModel() const { return m_findings; }

Q_SIGNALS:
    void verifyRequested();

private:
    QLayout *buildBanner(QWidget *page);
    QWidget *buildKeysAndPaths(QWidget *parent);
    QWidget *buildFindings(QWidget *parent);
    void showFinding(const QModelIndex &current);
    void resetBanner();
    void updateMatrixEmpty();

    SessionPtr m_session;
    QLabel *m_banner = nullptr;
    CredentialMatrixModel *m_matrix = nullptr;
    QTableView *m_matrixView = nullptr;
    QLabel *m_matrixEmpty = nullptr;
    PathModel *m_paths = nullptr;
    FindingsModel *m_findings = nullptr;
    QTableView *m_findingsView = nullptr;
    QLabel *m_findingDetail = nullptr;
    DataFlowView *m_flow = nullptr;
};

} // namespace moltdesk
