# Version and the command-line help table (one source for --help, man pages and shell completion).
set(MOLTDESK_RELEASE_DATE "2026-12-01" CACHE INTERNAL "release date of PROJECT_VERSION")
configure_file(${CMAKE_CURRENT_LIST_DIR}/Version.h.in ${CMAKE_CURRENT_BINARY_DIR}/generated/MoltdeskVersion.h @ONLY)
target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Version.cpp ${CMAKE_CURRENT_LIST_DIR}/Version.h
    ${CMAKE_CURRENT_LIST_DIR}/HelpTable.cpp ${CMAKE_CURRENT_LIST_DIR}/HelpTable.h
    ${CMAKE_CURRENT_LIST_DIR}/HelpFormat.cpp ${CMAKE_CURRENT_LIST_DIR}/HelpFormat.h
    ${CMAKE_CURRENT_LIST_DIR}/HelpRoff.cpp ${CMAKE_CURRENT_LIST_DIR}/HelpBash.cpp)
target_include_directories(moltdesk_core PUBLIC ${CMAKE_CURRENT_LIST_DIR}
    PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
