// The "leak" check (core/audit/checks/LeakCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckLeak : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("leak")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckLeak)
#include "tst_check_leak.moc"
