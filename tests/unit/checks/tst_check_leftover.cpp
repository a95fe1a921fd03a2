// The "leftover" check (core/audit/checks/LeftoverCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckLeftover : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("leftover")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckLeftover)
#include "tst_check_leftover.moc"
