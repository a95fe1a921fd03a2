#pragma once

#include "BucketComparison.h"
#include "CancelToken.h"
#include "Session.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QLayout;
class QThreadPool;
class QTimer;

namespace moltdesk {

class CompareFilterModel;
class CompareModel;

// Two environments side by side, key by key, as `moltctl compare` and `rclone check` see them:
// counts per state and per prefix, the keys filtered by state and name. Listing and hashing run on
// the window's work pool; the dialog only shows results.
class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    CompareDialog(SessionPtr session, QThreadPool *pool, QWidget *parent = nullptr);
    ~CompareDialog() override;

    void setEnvironments(int indexA, int indexB); // indexes into the session's environments
    void compare();

    CompareModel *model() const { return m_model; }
    CompareFilterModel *filterModel() const { return m_filter; }
    bool isComparing() const { return m_running; }

    // The name filter applies this long after the last key typed into it.
    static constexpr int kKeyFilterDelayMs = 200;

Q_SIGNALS:
    void compared(bool ok);

private:
    QLayout *buildEnvironmentPicker();
    QLayout *buildFilters();
    QWidget *buildTables();
    void applyKeyFilter();
    void showComparison(const Result<BucketComparison> &result);
    void updateCounts();
    void fillPrefixTable();
    QCheckBox *stateBox(CompareState s) const { return m_stateBoxes[int(s)]; }

    SessionPtr m_session;
    QThreadPool *m_pool;
    CancelToken m_cancel;
    quint64 m_generation = 0;
    bool m_running = false;
    CompareModel *m_model = nullptr;
    CompareFilterModel *m_filter = nullptr;
    QComboBox *m_envA = nullptr;
    QComboBox *m_envB = nullptr;
    QPushButton *m_compareButton = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_keyFilter = nullptr;
    QTimer *m_keyFilterDelay = nullptr;
    QCheckBox *m_stateBoxes[kCompareStateCount] = {};
    QTableWidget *m_prefixes = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace moltdesk
