#pragma once

#include "EnvironmentPanel.h"
#include "Result.h"

#include <memory>

class QLabel;

namespace moltdesk {

class BrowserPanel;
class StorageBackend;
class WorkspaceController;

// The Contents tab: which bucket is shown, over the BrowserPanel that browses it. A newly selected
// environment's bucket is opened through the controller; status updates of the same one change nothing.
class ContentsPanel : public EnvironmentPanel
{
    Q_OBJECT
public:
    ContentsPanel(WorkspaceController *controller, QWidget *parent = nullptr);
    void setEnvironment(const EnvironmentSelection &selection) override;
    BrowserPanel *browser() const { return m_browser; }

private:
    void bucketOpened(const EnvironmentNames &env, const Result<std::shared_ptr<StorageBackend>> &backend);
    void setLoading(bool loading);

    WorkspaceController *m_controller;
    QLabel *m_label;
    BrowserPanel *m_browser;
    SessionPtr m_session; // what is shown: another session or row opens again
    int m_row = -1;
    QString m_base; // "Bucket <name>  (<location>)", without the listing's state
};

} // namespace moltdesk
