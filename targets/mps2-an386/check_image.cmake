# Checks a linked mps2-an386 image: no heap, no exceptions, no exit machinery
# linked in, and the retained RAM in no loadable segment.
# Usage: cmake -DNM=<arm-none-eabi-nm> -DREADELF=<arm-none-eabi-readelf> -DIMAGE=<elf> -P check_image.cmake
execute_process(COMMAND ${NM} --defined-only ${IMAGE} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} ${IMAGE} failed")
endif()
# malloc family and newlib's reentrant variants, _sbrk, operator new/delete
# (_Znw*, _Zna*, _Zdl*, _Zda*), atexit registration, exception throwing.
set(forbidden_regex
    " (_?_?(malloc|free|calloc|realloc|memalign)(_r)?|_sbrk(_r)?|_Zn[wa][jm].*|_Zd[la]Pv.*|atexit|__cxa_atexit|__aeabi_atexit|exit|_exit|abort|__cxa_throw|__cxa_allocate_exception|__gxx_personality_v0)\n")
string(REGEX MATCHALL "${forbidden_regex}" found "${symbols}\n")
if(found)
  string(REPLACE "\n" "" found "${found}")
  message(FATAL_ERROR "${IMAGE} links what firmware must not use:${found}")
endif()

execute_process(COMMAND ${READELF} -lW ${IMAGE} OUTPUT_VARIABLE segments RESULT_VARIABLE rc)
string(FIND "${segments}" "Section to Segment mapping" mapping)
string(SUBSTRING "${segments}" ${mapping} -1 mapping_text)
if(NOT rc EQUAL 0 OR mapping LESS 0 OR mapping_text MATCHES "\\.retained")
  message(FATAL_ERROR "${IMAGE}: .retained is in a loadable segment, so a reset would clear it:\n${segments}")
endif()
