"""The annual report (政府信息公开工作年度报告, DESIGN §3.7): the whole document built from the
year statistics and the entered sections, its renderings, publication, drift, drill-down,
checks of published files, any-period statistics and the district roll-up."""
