namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// A contact asked to enroll in a sequence, as the workspace has it: whether it exists, its flags, and whether it is
/// enrolled already, by which job (null for an enrollment that no job wrote).
/// </summary>
public sealed record EnrollmentCandidate(Guid Id, bool Found, bool OptedOut, bool DoNotContact, bool Enrolled, Guid? EnrolledByJobId);
