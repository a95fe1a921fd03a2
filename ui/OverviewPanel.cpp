#include "OverviewPanel.h"

#include "OverviewHtml.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace moltdesk {

OverviewPanel::OverviewPanel(QWidget *parent) : EnvironmentPanel(parent), m_text(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text->setObjectName(QStringLiteral("overviewText"));
    m_text->setAccessibleName(QStringLiteral("Environment overview"));
    m_text->setOpenLinks(false);
    connect(m_text, &QTextBrowser::anchorClicked, this, &OverviewPanel::openLink);
    layout->addWidget(m_text);
    setFocusProxy(m_text);
}

void OverviewPanel::setEnvironment(const EnvironmentSelection &sel)
{
    m_text->setHtml(sel.hasEnvironment()
                        ? overviewHtml(sel.names, sel.status, sel.updating, QDateTime::currentDateTimeUtc())
                        : overviewPlaceholderHtml());
}

void OverviewPanel::openLink(const QUrl &url)
{
    if (url.scheme() != QLatin1String("moltdesk"))
        return;
    if (url.path() == QLatin1String("stamp"))
        Q_EMIT stampRequested();
    else if (url.path() == QLatin1String("credentials"))
        Q_EMIT credentialsRequested();
}

} // namespace moltdesk
