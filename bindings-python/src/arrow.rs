//! Results as Arrow record batches (built by the core, `webcare::arrow`), exported through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`), so pyarrow, polars and pandas read the columns without one Python
//! object per row.

use std::sync::Arc;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};
use arrow_schema::SchemaRef;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use webcare::arrow::schema;
use webcare::WebcareResult;

/// Results as Arrow data: pass it to `pyarrow.table(...)`, `polars.DataFrame(...)` or any
/// reader of the Arrow PyCapsule interface. Can be exported any number of times.
#[pyclass(name = "ArrowResults", module = "webcare", frozen)]
pub struct ArrowResults {
    pub batches: Arc<Vec<RecordBatch>>,
    pub schema: SchemaRef,
}

impl ArrowResults {
    pub fn from_batches(batches: Vec<RecordBatch>) -> Self {
        Self::with_schema(batches, schema())
    }

    pub fn with_schema(batches: Vec<RecordBatch>, schema: SchemaRef) -> Self {
        ArrowResults {
            batches: Arc::new(batches),
            schema,
        }
    }

    pub fn from_results(rs: &[WebcareResult]) -> Self {
        // A batch of these arrays cannot fail (the schema is built with them); keep it total.
        match webcare::arrow::batch(rs) {
            Ok(b) => Self::from_batches(vec![b]),
            Err(_) => Self::from_batches(Vec::new()),
        }
    }
}

#[pymethods]
impl ArrowResults {
    /// The Arrow C stream of the record batches (PyCapsule `arrow_array_stream`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema; // The schema is fixed; consumers may cast.
        let batches: Vec<RecordBatch> = self.batches.as_ref().clone();
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), self.schema.clone());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The Arrow C schema (PyCapsule `arrow_schema`).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let ffi = arrow_schema::ffi::FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| PyValueError::new_err(format!("arrow schema: {e}")))?;
        PyCapsule::new_with_value(py, ffi, c"arrow_schema")
    }

    /// One `ArrowResults` with the batches of all of these, in order.
    #[staticmethod]
    /// Every part must have the same columns (an empty list gives the standard columns).
    fn concat(parts: Vec<PyRef<'_, ArrowResults>>) -> PyResult<ArrowResults> {
        let schema = parts.first().map_or_else(schema, |p| p.schema.clone());
        let mut batches = Vec::new();
        for p in &parts {
            if p.schema != schema {
                return Err(PyValueError::new_err("the parts have different columns"));
            }
            batches.extend(p.batches.iter().cloned());
        }
        Ok(ArrowResults::with_schema(batches, schema))
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// The number of record batches (one per page).
    #[getter]
    fn num_batches(&self) -> usize {
        self.batches.len()
    }

    /// The standard column names.
    #[staticmethod]
    fn column_names() -> Vec<String> {
        schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// The column names of this data (standard columns, then requested extra fields).
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowResults(num_rows={}, num_batches={})",
            self.num_rows(),
            self.num_batches()
        )
    }
}
