// Typed wrappers for every command of src-tauri/src/commands.rs.
import { invoke, Channel } from '@tauri-apps/api/core';
import type { ApiError } from '../bindings/ApiError';
import type { AppState } from '../bindings/AppState';
import type { AuditEntryDto } from '../bindings/AuditEntryDto';
import type { BatchDto } from '../bindings/BatchDto';
import type { DrillRequest } from '../bindings/DrillRequest';
import type { DrillResult } from '../bindings/DrillResult';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { ExportResult } from '../bindings/ExportResult';
import type { FactorDto } from '../bindings/FactorDto';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { ImportRequest } from '../bindings/ImportRequest';
import type { ImportResult } from '../bindings/ImportResult';
import type { NewProjectInput } from '../bindings/NewProjectInput';
import type { ProjectDetailsInput } from '../bindings/ProjectDetailsInput';
import type { ProjectSummary } from '../bindings/ProjectSummary';
import type { Readiness } from '../bindings/Readiness';
import type { RecordInput } from '../bindings/RecordInput';
import type { RecordPage } from '../bindings/RecordPage';
import type { RecordQuery } from '../bindings/RecordQuery';
import type { RecordRow } from '../bindings/RecordRow';
import type { RecordVersion } from '../bindings/RecordVersion';
import type { ResultsDto } from '../bindings/ResultsDto';
import type { SiteDto } from '../bindings/SiteDto';
import type { SiteInput } from '../bindings/SiteInput';
import type { SourceChoices } from '../bindings/SourceChoices';
import type { SourceDto } from '../bindings/SourceDto';
import type { SourceInput } from '../bindings/SourceInput';
import type { VerifyDto } from '../bindings/VerifyDto';
import type { ReductionDto } from '../bindings/ReductionDto';
import type { OutputDto } from '../bindings/OutputDto';
import type { OutputInput } from '../bindings/OutputInput';
import type { TargetInput } from '../bindings/TargetInput';
import type { MeasureChoices } from '../bindings/MeasureChoices';
import type { MeasureInput } from '../bindings/MeasureInput';
import type { MeasureDto } from '../bindings/MeasureDto';
import type { ReductionSettingsDto } from '../bindings/ReductionSettingsDto';
import type { ReductionSettingsInput } from '../bindings/ReductionSettingsInput';
import type { EacDto } from '../bindings/EacDto';
import type { EacInput } from '../bindings/EacInput';
import type { EacImportDto } from '../bindings/EacImportDto';
import type { RetireInput } from '../bindings/RetireInput';
import type { CreditDto } from '../bindings/CreditDto';
import type { CreditInput } from '../bindings/CreditInput';
import type { SerialReading } from '../bindings/SerialReading';
import type { OffsetDto } from '../bindings/OffsetDto';
import type { ClaimRequest } from '../bindings/ClaimRequest';
import type { ClaimDto } from '../bindings/ClaimDto';
import type { ClaimSettingsDto } from '../bindings/ClaimSettingsDto';
import type { ClaimSubjectChange } from '../bindings/ClaimSubjectChange';
import type { ClaimSubjectDto } from '../bindings/ClaimSubjectDto';
import type { ClaimDocumentsDto } from '../bindings/ClaimDocumentsDto';
import type { DossierRequest } from '../bindings/DossierRequest';
import type { DossierDto } from '../bindings/DossierDto';
import type { DossierCheckDto } from '../bindings/DossierCheckDto';

export type DialogPurpose = 'open-project' | 'save-project' | 'import' | 'evidence' | 'import-eac' | 'save-pdf' | 'save-xlsx';

/** Whatever a command rejected with, as an ApiError (Tauri itself may reject with a string). */
export function toApiError(e: unknown): ApiError {
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const o = e as { code?: unknown; field?: unknown; message: unknown };
    return {
      code: typeof o.code === 'string' ? o.code : 'ERROR',
      field: typeof o.field === 'string' ? o.field : null,
      message: String(o.message),
    };
  }
  return { code: 'ERROR', field: null, message: String(e) };
}

export const api = {
  appState: () => invoke<AppState>('app_state'),
  setLanguage: (lang: string) => invoke<void>('set_language', { lang }),
  pickFile: (purpose: DialogPurpose, suggested: string | null = null) =>
    invoke<string | null>('pick_file', { request: { purpose, suggested } }),
  openProject: (path: string) => invoke<ProjectSummary>('open_project', { path }),
  openSample: () => invoke<ProjectSummary>('open_sample'),
  createProject: (input: NewProjectInput) => invoke<ProjectSummary>('create_project', { input }),
  closeProject: () => invoke<void>('close_project'),
  projectSummary: () => invoke<ProjectSummary>('project_summary'),
  setProjectDetails: (input: ProjectDetailsInput) => invoke<ProjectSummary>('set_project_details', { input }),
  sites: () => invoke<SiteDto[]>('sites'),
  addSite: (input: SiteInput) => invoke<SiteDto>('add_site', { input }),
  sourceChoices: () => invoke<SourceChoices>('source_choices'),
  sources: () => invoke<SourceDto[]>('sources'),
  addSource: (input: SourceInput) => invoke<SourceDto>('add_source', { input }),
  factors: (search: string | null) => invoke<FactorDto[]>('factors', { search }),
  records: (query: RecordQuery) => invoke<RecordPage>('records', { query }),
  recordMonths: () => invoke<string[]>('record_months'),
  recordHistory: (id: number) => invoke<RecordVersion[]>('record_history', { id }),
  saveRecord: (input: RecordInput) => invoke<RecordRow>('save_record', { input }),
  voidRecord: (id: number, reason: string) => invoke<void>('void_record', { id, reason }),
  watchDrops: (dropped: (path: string) => void) => {
    const onDrop = new Channel<string>();
    onDrop.onmessage = dropped;
    return invoke<null>('watch_drops', { onDrop });
  },
  importFile: (request: ImportRequest, progress: (p: ImportProgress) => void) => {
    const onProgress = new Channel<ImportProgress>();
    onProgress.onmessage = progress;
    return invoke<ImportResult>('import_file', { request, onProgress });
  },
  importCancel: () => invoke<boolean>('import_cancel'),
  batches: () => invoke<BatchDto[]>('batches'),
  undoImport: (batch: number, reason: string) => invoke<number>('undo_import', { batch, reason }),
  results: () => invoke<ResultsDto>('results'),
  drill: (request: DrillRequest) => invoke<DrillResult>('drill', { request }),
  readiness: () => invoke<Readiness>('readiness'),
  auditLog: (limit: number | null) => invoke<AuditEntryDto[]>('audit_log', { limit }),
  verify: () => invoke<VerifyDto>('verify'),
  exportReport: (request: ExportRequest) => invoke<ExportResult>('export_report', { request }),
  openFile: (path: string) => invoke<void>('open_file', { path }),
  reduction: (year: number | null = null, basis: string | null = null) =>
    invoke<ReductionDto>('reduction', { year, basis }),
  outputs: () => invoke<OutputDto[]>('outputs'),
  addOutput: (input: OutputInput) => invoke<OutputDto[]>('add_output', { input }),
  addTarget: (input: TargetInput) => invoke<void>('add_target', { input }),
  rebaseTarget: (name: string, reason: string) => invoke<void>('rebase_target', { name, reason }),
  measureChoices: () => invoke<MeasureChoices>('measure_choices'),
  previewMeasure: (input: MeasureInput, existing: boolean) =>
    invoke<MeasureDto>('preview_measure', { input, existing }),
  saveMeasure: (input: MeasureInput, existing: boolean) => invoke<void>('save_measure', { input, existing }),
  reductionSettings: () => invoke<ReductionSettingsDto>('reduction_settings'),
  setReductionSettings: (input: ReductionSettingsInput) =>
    invoke<ReductionSettingsDto>('set_reduction_settings', { input }),
  // the offset step
  eacs: () => invoke<EacDto[]>('eacs'),
  addEac: (input: EacInput) => invoke<EacDto>('add_eac', { input }),
  retireEac: (input: RetireInput) => invoke<EacDto>('retire_eac', { input }),
  voidEac: (id: number, reason: string) => invoke<EacDto>('void_eac', { id, reason }),
  importEacs: (path: string, sites: string[], dryRun: boolean) =>
    invoke<EacImportDto>('import_eacs', { path, sites, dryRun }),
  credits: () => invoke<CreditDto[]>('credits'),
  readSerial: (input: CreditInput) => invoke<SerialReading>('read_serial', { input }),
  addCredit: (input: CreditInput) => invoke<CreditDto>('add_credit', { input }),
  retireCredit: (input: RetireInput) => invoke<CreditDto[]>('retire_credit', { input }),
  voidCredit: (id: number, reason: string) => invoke<CreditDto>('void_credit', { id, reason }),
  offset: (year: number | null = null, scopes: string | null = null) =>
    invoke<OffsetDto>('offset', { year, scopes }),
  // the certification step
  claim: (request: ClaimRequest) => invoke<ClaimDto>('claim', { request }),
  claimSettings: (framework: string) => invoke<ClaimSettingsDto>('claim_settings', { framework }),
  setClaimSettings: (input: ClaimSettingsDto) => invoke<ClaimSettingsDto>('set_claim_settings', { input }),
  claimSubject: (request: ClaimRequest) => invoke<ClaimSubjectDto>('claim_subject', { request }),
  setClaimSubject: (input: ClaimSubjectChange) => invoke<ClaimSubjectDto>('set_claim_subject', { input }),
  claimDocuments: (request: ClaimRequest) => invoke<ClaimDocumentsDto>('claim_documents', { request }),
  pickFolder: (purpose: 'dossier' | 'verify-dossier') => invoke<string | null>('pick_folder', { purpose }),
  exportDossier: (request: DossierRequest) => invoke<DossierDto>('export_dossier', { request }),
  verifyDossier: (dir: string) => invoke<DossierCheckDto>('verify_dossier', { dir }),
};
