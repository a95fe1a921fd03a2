#pragma once

#include "EnvironmentPanel.h"

class QTextBrowser;
class QUrl;

namespace moltdesk {

// The Overview tab: overviewHtml() of the selected environment, with its links turned into requests.
class OverviewPanel : public EnvironmentPanel
{
    Q_OBJECT
public:
    explicit OverviewPanel(QWidget *parent = nullptr);
    void setEnvironment(const EnvironmentSelection &selection) override;

Q_SIGNALS:
    void stampRequested();
    void credentialsRequested();

private:
    void openLink(const QUrl &url);

    QTextBrowser *m_text;
};

} // namespace moltdesk
