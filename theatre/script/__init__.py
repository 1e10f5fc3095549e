"""The script language: a free-form prompt with shot markers (Chinese or English) parsed into
shots, @mentions, the shot vocabulary (framings, camera moves), timing rules and their errors.
Plain Python over plain data: nothing here reads or writes the database."""
