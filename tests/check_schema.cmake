# Fails when generated/schema differs from what `metergen schema` prints.
foreach(kind spec catalog)
  execute_process(COMMAND ${METERGEN} schema --kind ${kind} OUTPUT_VARIABLE printed RESULT_VARIABLE rc)
  file(READ ${SOURCE}/generated/schema/metergen-${kind}.schema.json committed)
  if(NOT rc EQUAL 0 OR NOT printed STREQUAL committed)
    message(FATAL_ERROR "generated/schema/metergen-${kind}.schema.json is out of date: run metergen schema --kind ${kind}")
  endif()
endforeach()
