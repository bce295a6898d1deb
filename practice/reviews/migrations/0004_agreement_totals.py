"""Running totals behind the agreement statistics (see practice.reviews.stats)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_concept_labels_checked_by_engine'),
        ('reviews', '0003_markoverride_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='PromptAgreementTotal',
            fields=[
                ('prompt', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='agreement_total', serialize=False, to='catalog.prompt')),
                ('reviews', models.IntegerField(default=0)),
                ('difference_sum', models.FloatField(default=0)),
                ('absolute_difference_sum', models.FloatField(default=0)),
                ('within_one_mark', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='CountedReview',
            fields=[
                ('review', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='counted', serialize=False, to='reviews.review')),
                ('difference', models.FloatField()),
                ('concept_outcomes', models.JSONField(blank=True, default=dict)),
                ('prompt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.prompt')),
            ],
        ),
        migrations.CreateModel(
            name='ConceptAgreementTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.TextField()),
                ('judged', models.IntegerField(default=0)),
                ('agreed', models.IntegerField(default=0)),
                ('credited', models.IntegerField(default=0)),
                ('withdrawn', models.IntegerField(default=0)),
                ('prompt', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.prompt')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('prompt', 'label'), name='one_total_per_concept')],
            },
        ),
    ]
