# Checks of what the package installs, by the tools distributions check them with. Each fails when its
# tool is missing (scripts/packages.txt installs them): a check that cannot run must not pass.
find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
find_program(APPSTREAMCLI appstreamcli)
find_program(MAN_PROGRAM man)

add_test(NAME desktop_entry_valid
         COMMAND ${DESKTOP_FILE_VALIDATE} ${PROJECT_SOURCE_DIR}/resources/moltdesk.desktop)
if(MOLTDESK_BUILD_GUI)
    # --no-net: the screenshot and URLs are checked for form, not fetched (there is no network in CI).
    add_test(NAME appstream_metainfo_valid
             COMMAND ${APPSTREAMCLI} validate --no-net --pedantic --explain
                     ${gen}/metainfo/${MOLTDESK_APPSTREAM_ID}.metainfo.xml)
endif()
# The man pages render without a single warning from groff.
foreach(program IN LISTS man_programs)
    add_test(NAME man_${program}_renders
             COMMAND sh -c "out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 '${MAN_PROGRAM}' --warnings -E UTF-8 -l \"$1\" 2>&1 >/dev/null); [ -z \"$out\" ] || { echo \"$out\"; exit 1; }; '${MAN_PROGRAM}' -l \"$1\" | grep -q OPTIONS"
                     _ ${gen}/man/${program}.1)
endforeach()
set(packaging_tests desktop_entry_valid ${man_programs})
list(TRANSFORM packaging_tests REPLACE "^(moltctl|moltdesk)$" "man_\\1_renders")
if(MOLTDESK_BUILD_GUI)
    list(APPEND packaging_tests appstream_metainfo_valid)
endif()
set_tests_properties(${packaging_tests} PROPERTIES LABELS "packaging;unit")

# The package itself (cpack into a temporary folder, then lintian); needs everything built first.
if(MOLTDESK_BUILD_GUI)
    add_test(NAME deb_package_clean COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check-deb.sh ${CMAKE_BINARY_DIR})
    set_tests_properties(deb_package_clean PROPERTIES LABELS "packaging" TIMEOUT 300)
endif()
