// The "freshness" check (core/audit/checks/FreshnessCheck.cpp) in each of its states: passes, fails (or
// warns) and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckFreshness : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("freshness")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckFreshness)
#include "tst_check_freshness.moc"
