"""Code versions and, later, certification obligations and certificates (CERT-1..3)."""

import hashlib

from django.db import models


class CodeVersion(models.Model):
    """One version of the Code of Business Conduct and Ethics. Its text never changes
    once published: a new text is a new version, and certificates cite the hash."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    effective_date = models.DateField()
    text = models.TextField()
    summary_of_changes = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"{self.title} (version {self.number}, effective {self.effective_date:%B %-d, %Y})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(published_at__isnull=False).order_by("-number").first()
