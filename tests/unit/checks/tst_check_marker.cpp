// The "marker" check (core/audit/checks/MarkerCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckMarker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("marker")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckMarker)
#include "tst_check_marker.moc"
