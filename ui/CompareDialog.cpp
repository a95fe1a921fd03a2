#include "CompareDialog.h"

#include "CompareModel.h"
#include "EnvironmentComparer.h"
#include "QueuedDelivery.h"
#include "UiLogging.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace moltdesk {

namespace {

const char *const kStateBoxNames[kCompareStateCount] = {"showOnlyA", "showOnlyB", "showDiffer",
                                                        "showIdentical", "showUnknown"};

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

CompareDialog::CompareDialog(SessionPtr session, QThreadPool *pool, QWidget *parent)
    : QDialog(parent), m_session(std::move(session)), m_pool(pool), m_model(new CompareModel(this)),
      m_filter(new CompareFilterModel(this))
{
    setWindowTitle(QStringLiteral("Compare Environments"));
    setObjectName(QStringLiteral("compareDialog"));
    m_filter->setSourceModel(m_model);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("compareStatus"));
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildEnvironmentPicker());
    layout->addWidget(m_status);
    layout->addLayout(buildFilters());
    layout->addWidget(buildTables(), 1);
    layout->addWidget(buttons);

    connect(m_compareButton, &QPushButton::clicked, this, &CompareDialog::compare);
    updateCounts();
    resize(900, 600);
}

QLayout *CompareDialog::buildEnvironmentPicker()
{
    auto *pick = new QHBoxLayout;
    m_envA = new QComboBox(this);
    m_envA->setObjectName(QStringLiteral("compareEnvA"));
    m_envB = new QComboBox(this);
    m_envB->setObjectName(QStringLiteral("compareEnvB"));
    for (const EnvironmentNames &env : m_session->workspace.environments()) {
        const QString text = QStringLiteral("%1 (%2)").arg(env.displayName(), env.bucket);
        m_envA->addItem(text);
        m_envB->addItem(text);
    }
    auto *labelA = new QLabel(QStringLiteral("Co&mpare"), this);
    labelA->setBuddy(m_envA);
    auto *labelB = new QLabel(QStringLiteral("&with"), this);
    labelB->setBuddy(m_envB);
    m_compareButton = new QPushButton(QStringLiteral("&Compare"), this);
    m_compareButton->setObjectName(QStringLiteral("compareButton"));
    pick->addWidget(labelA);
    pick->addWidget(m_envA, 1);
    pick->addWidget(labelB);
    pick->addWidget(m_envB, 1);
    pick->addWidget(m_compareButton);
    return pick;
}

QLayout *CompareDialog::buildFilters()
{
    auto *filters = new QHBoxLayout;
    for (int s = 0; s < kCompareStateCount; ++s) {
        auto *box = new QCheckBox(this);
        box->setObjectName(QString::fromLatin1(kStateBoxNames[s]));
        box->setChecked(m_filter->isStateVisible(CompareState(s)));
        connect(box, &QCheckBox::toggled, this,
                [this, s](bool on) { m_filter->setStateVisible(CompareState(s), on); });
        m_stateBoxes[s] = box;
        filters->addWidget(box);
    }
    filters->addStretch(1);
    m_keyFilter = new QLineEdit(this);
    m_keyFilter->setObjectName(QStringLiteral("compareFilter"));
    m_keyFilter->setPlaceholderText(QStringLiteral("Filter by name"));
    m_keyFilter->setClearButtonEnabled(true);
    // Each refilter walks every row on the UI thread (about 90 ms for 100,000): one per pause in the
    // typing, not one per key.
    m_keyFilterDelay = new QTimer(this);
    m_keyFilterDelay->setSingleShot(true);
    m_keyFilterDelay->setInterval(kKeyFilterDelayMs);
    connect(m_keyFilter, &QLineEdit::textChanged, m_keyFilterDelay, qOverload<>(&QTimer::start));
    connect(m_keyFilterDelay, &QTimer::timeout, this, &CompareDialog::applyKeyFilter);
    filters->addWidget(m_keyFilter);
    return filters;
}

QWidget *CompareDialog::buildTables()
{
    m_prefixes = new QTableWidget(this);
    m_prefixes->setObjectName(QStringLiteral("comparePrefixes"));
    m_prefixes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_prefixes->verticalHeader()->hide();
    m_prefixes->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("compareView"));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CompareModel::KeyColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->setTabKeyNavigation(false);
    m_view->horizontalHeader()->setSectionResizeMode(CompareModel::KeyColumn, QHeaderView::Stretch);
    m_view->setTextElideMode(Qt::ElideMiddle);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_prefixes);
    split->addWidget(m_view);
    split->setStretchFactor(1, 3);
    return split;
}

void CompareDialog::applyKeyFilter()
{
    m_filter->setKeyFilter(m_keyFilter->text());
}

CompareDialog::~CompareDialog()
{
    m_cancel.cancel(); // a comparison still listing stops; its result is dropped with this dialog
}

void CompareDialog::setEnvironments(int indexA, int indexB)
{
    m_envA->setCurrentIndex(indexA);
    m_envB->setCurrentIndex(indexB);
}

void CompareDialog::compare()
{
    const QList<EnvironmentNames> &envs = m_session->workspace.environments();
    const int a = m_envA->currentIndex();
    const int b = m_envB->currentIndex();
    if (a < 0 || b < 0 || a >= envs.size() || b >= envs.size())
        return;
    m_cancel.cancel();
    m_cancel = CancelToken();
    const quint64 gen = ++m_generation;
    m_running = true;
    m_status->setText(QStringLiteral("Comparing %1 with %2…").arg(envs.at(a).bucket, envs.at(b).bucket));
    const SessionPtr s = m_session;
    const EnvironmentNames envA = envs.at(a);
    const EnvironmentNames envB = envs.at(b);
    const CancelToken cancel = m_cancel;
    deliverQueued(
        QtConcurrent::run(
            m_pool,
            [s, envA, envB, cancel]() {
                auto r = EnvironmentComparer(s->workspace, s->resolver).compare(envA, envB, cancel);
                return r ? Result<BucketComparison>(CompareModel::inNaturalOrder(std::move(r.value()))) : r;
            }),
        this, [this, gen](const Result<BucketComparison> &r) {
            if (gen != m_generation)
                return;
            showComparison(r);
        });
}

void CompareDialog::showComparison(const Result<BucketComparison> &result)
{
    m_running = false;
    if (!result) {
        qCInfo(lcUi) << "compare failed:" << result.error().message;
        m_status->setText(QStringLiteral("<b style='color:#c62828'>Not compared:</b> ") +
                          result.error().message.toHtmlEscaped());
        m_model->setComparison({});
        updateCounts();
        fillPrefixTable();
        Q_EMIT compared(false);
        return;
    }
    const BucketComparison &c = result.value();
    m_model->setComparison(c);
    QString text = c.same() ? QStringLiteral("<b>Identical:</b> %1 keys, same size and checksum.")
                                  .arg(count(c.totals.total()))
                            : QStringLiteral("%1 keys compared.").arg(count(c.totals.total()));
    if (c.sensitiveIdentical > 0)
        text += QStringLiteral(" <b style='color:#c62828'>%1 sensitive file(s) identical in both: treat "
                               "them as leaked.</b>")
                    .arg(count(c.sensitiveIdentical));
    m_status->setText(text);
    updateCounts();
    fillPrefixTable();
    Q_EMIT compared(true);
}

void CompareDialog::updateCounts()
{
    const CompareCounts &t = m_model->comparison().totals;
    for (int s = 0; s < kCompareStateCount; ++s) {
        const QString name = m_model->stateText(CompareState(s));
        QString label = name.left(1).toUpper() + name.mid(1);
        m_stateBoxes[s]->setText(QStringLiteral("%1 (%2)").arg(label, count(t.count[s])));
    }
}

void CompareDialog::fillPrefixTable()
{
    const BucketComparison &c = m_model->comparison();
    m_prefixes->clear();
    QStringList headers{QStringLiteral("Prefix")};
    for (int s = 0; s < kCompareStateCount; ++s)
        headers << m_model->stateText(CompareState(s));
    m_prefixes->setColumnCount(int(headers.size()));
    m_prefixes->setHorizontalHeaderLabels(headers);
    m_prefixes->setRowCount(int(c.byPrefix.size()));
    int row = 0;
    for (auto it = c.byPrefix.cbegin(); it != c.byPrefix.cend(); ++it, ++row) {
        m_prefixes->setItem(row, 0,
                            new QTableWidgetItem(it.key().isEmpty() ? QStringLiteral("(root)") : it.key()));
        for (int s = 0; s < kCompareStateCount; ++s) {
            auto *item = new QTableWidgetItem(count(it.value().count[s]));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_prefixes->setItem(row, s + 1, item);
        }
    }
}

} // namespace moltdesk
