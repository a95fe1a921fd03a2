#include "ContentsPanel.h"

#include "BrowserPanel.h"
#include "BucketBrowserModel.h"
#include "StorageBackend.h"
#include "WorkspaceController.h"

#include <QLabel>
#include <QVBoxLayout>

namespace moltdesk {

ContentsPanel::ContentsPanel(WorkspaceController *controller, QWidget *parent)
    : EnvironmentPanel(parent), m_controller(controller), m_label(new QLabel(this)),
      m_browser(new BrowserPanel(controller->workPool(), this))
{
    auto *layout = new QVBoxLayout(this);
    m_label->setObjectName(QStringLiteral("contentsLabel"));
    layout->addWidget(m_label);
    layout->addWidget(m_browser, 1);
    connect(m_browser->model(), &BucketBrowserModel::loadingChanged, this, &ContentsPanel::setLoading);
    connect(m_controller, &WorkspaceController::bucketOpened, this, &ContentsPanel::bucketOpened);
}

void ContentsPanel::setEnvironment(const EnvironmentSelection &sel)
{
    if (sel.session == m_session && sel.row == m_row)
        return; // the same bucket, perhaps with a newer status: the tree stays as the user left it
    m_session = sel.session;
    m_row = sel.row;
    if (!sel.hasEnvironment()) {
        m_controller->stopBrowsing();
        m_base.clear();
        m_label->clear();
        m_browser->model()->setBackend(nullptr);
        return;
    }
    m_browser->setEnvironmentName(sel.names.displayName());
    m_base = QStringLiteral("Bucket %1").arg(sel.names.bucket);
    m_label->setText(m_base + QStringLiteral("  — opening…"));
    m_browser->model()->setBackend(nullptr, QStringLiteral("opening %1…").arg(sel.names.bucket));
    m_controller->browse(sel.names);
}

void ContentsPanel::bucketOpened(const EnvironmentNames &, const Result<std::shared_ptr<StorageBackend>> &r)
{
    if (!r) {
        m_label->setText(m_base);
        m_browser->model()->setBackend(nullptr, QStringLiteral("cannot open: ") + r.error().message);
        return;
    }
    m_base = QStringLiteral("%1  (%2)").arg(m_base, r.value()->location());
    m_label->setText(m_base);
    m_browser->model()->setBackend(r.value());
    m_browser->model()->fetchMore({});
}

void ContentsPanel::setLoading(bool loading)
{
    m_label->setText(loading ? m_base + QStringLiteral("  — listing…") : m_base);
}

} // namespace moltdesk
