# MapguardConfirm.cmake — mapguard_confirm(): confirm mapguard's static findings
# by running one of your test executables under the shim (docs/confirm.md).
#
#   set(CMAKE_EXPORT_COMPILE_COMMANDS ON)          # -p needs the database
#   include(<mapguard>/cmake/MapguardConfirm.cmake)  # or <prefix>/share/mapguard/cmake/
#   add_executable(cache_test cache_test.cpp)
#   target_link_libraries(cache_test PRIVATE mapguard::shim)
#   mapguard_confirm(TARGET cache_test
#                    [SOURCES src...]          # default: the target's C/C++ sources
#                    [ARGS arg...]             # passed to the program after `--`
#                    [NAME test-name]          # default: mapguard-confirm-<target>
#                    [TIMEOUT seconds]         # the program's, default 60
#                    [OPTIONS option...])      # more confirm options, e.g. --checks=...
#
# Adds a ctest test running
#   mapguard confirm -p ${CMAKE_BINARY_DIR} --program $<TARGET_FILE:target> SOURCES -- ARGS
# which fails when the run shows a map misuse the static checks missed
# (a runtime-only event) or when confirm itself fails. The mapguard executable
# is the `mapguard` target when it is part of the build, else
# MAPGUARD_EXECUTABLE, else `mapguard` on PATH.
include_guard(GLOBAL)

function(mapguard_confirm)
  cmake_parse_arguments(PARSE_ARGV 0 MC "" "TARGET;NAME;TIMEOUT"
                        "SOURCES;ARGS;OPTIONS")
  if(NOT MC_TARGET)
    message(FATAL_ERROR "mapguard_confirm: TARGET is required")
  endif()
  if(NOT TARGET ${MC_TARGET})
    message(FATAL_ERROR "mapguard_confirm: '${MC_TARGET}' is not a target")
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(WARNING "mapguard_confirm: set CMAKE_EXPORT_COMPILE_COMMANDS ON: "
                    "the test reads ${CMAKE_BINARY_DIR}/compile_commands.json")
  endif()

  if(TARGET mapguard)
    set(_mapguard $<TARGET_FILE:mapguard>)
  elseif(MAPGUARD_EXECUTABLE)
    set(_mapguard ${MAPGUARD_EXECUTABLE})
  else()
    find_program(MAPGUARD_EXECUTABLE mapguard)
    if(NOT MAPGUARD_EXECUTABLE)
      message(FATAL_ERROR "mapguard_confirm: mapguard not found; set "
                          "MAPGUARD_EXECUTABLE")
    endif()
    set(_mapguard ${MAPGUARD_EXECUTABLE})
  endif()

  set(_sources ${MC_SOURCES})
  if(NOT _sources)
    get_target_property(_all ${MC_TARGET} SOURCES)
    get_target_property(_dir ${MC_TARGET} SOURCE_DIR)
    foreach(_s IN LISTS _all)
      if(_s MATCHES "\\$<" OR NOT _s MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+)$")
        continue()
      endif()
      if(NOT IS_ABSOLUTE "${_s}")
        set(_s "${_dir}/${_s}")
      endif()
      list(APPEND _sources "${_s}")
    endforeach()
  endif()
  if(NOT _sources)
    message(FATAL_ERROR "mapguard_confirm: no sources for '${MC_TARGET}'; "
                        "pass SOURCES")
  endif()

  set(_name ${MC_NAME})
  if(NOT _name)
    set(_name mapguard-confirm-${MC_TARGET})
  endif()
  set(_timeout 60)
  if(MC_TIMEOUT)
    set(_timeout ${MC_TIMEOUT})
  endif()
  add_test(NAME ${_name}
    COMMAND ${_mapguard} confirm -p ${CMAKE_BINARY_DIR}
            --program $<TARGET_FILE:${MC_TARGET}> --timeout ${_timeout}
            ${MC_OPTIONS} ${_sources} -- ${MC_ARGS})
  # The test's own limit covers the scan and the run.
  math(EXPR _limit "${_timeout} + 300")
  set_tests_properties(${_name} PROPERTIES TIMEOUT ${_limit}
                       LABELS mapguard-confirm)
endfunction()
