"""Data quality reports on the accepted rows and the final payroll versions (Great Expectations).

`pipeline.kwaliteit.gx` imports great_expectations only inside its functions: importing this
package stays cheap for commands that never validate.
"""
