import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { IntegrationController } from './integration.controller';
import { IntegrationService } from './integration.service';

@Module({ imports: [FormsModule], controllers: [IntegrationController], providers: [IntegrationService], exports: [IntegrationService] })
export class IntegrationModule {}
